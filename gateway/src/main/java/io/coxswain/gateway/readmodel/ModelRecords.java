package io.coxswain.gateway.readmodel;

import io.coxswain.avro.Topics;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.CommandRecord;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one record of the state, events or commands topic does to the read model's clusters and command log: decoding, and
 * what is shown of a record this gateway cannot read whole. {@link ReadModel} owns the consumer and when the model is caught
 * up; this owns what the records mean.
 */
final class ModelRecords {

    private static final Logger log = LoggerFactory.getLogger(ModelRecords.class);

    private final Topics topics;
    private final Codecs codecs;
    private final ClusterViews clusters = new ClusterViews();
    private final CommandLog commands = new CommandLog();
    private final List<Consumer<Decision>> decisionListeners = new ArrayList<>();

    ModelRecords(Topics topics, Codecs codecs) {
        this.topics = topics;
        this.codecs = codecs;
    }

    ClusterViews clusters() {
        return clusters;
    }

    CommandLog commands() {
        return commands;
    }

    /** Registers a listener of every decision read (metrics); before the first record. */
    void onDecision(Consumer<Decision> listener) {
        decisionListeners.add(listener);
    }

    void apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (r.topic().equals(topics.state())) {
                if (r.value() == null) {
                    clusters.apply(key, null);
                } else {
                    applyState(key, codecs.states().read(r.headers(), r.value()));
                }
            } else if (r.topic().equals(topics.events())) {
                // as the read model reads states: what a newer events schema wrote that this gateway lacks is said, not dropped unsaid
                AvroWireCodec.Read<Decision> read = codecs.decisions().read(r.headers(), r.value());
                Decision d = read.decoded();
                if (d == null) {
                    commands.onUnreadableDecision(read.dropped().orElseThrow(), where(r));
                    log.warn("Read model: cannot read decision record {}-{}@{} (key {}): {}; its command shows it as {} until this"
                            + " gateway is upgraded", r.topic(), r.partition(), r.offset(), key,
                            CommandLog.decisionNote(read.dropped().get()), CommandView.DECISION_UNREADABLE);
                    return;
                }
                commands.onDecision(d, read.dropped().orElse(null));
                decisionListeners.forEach(l -> l.accept(d));
            } else if (r.value() != null) {
                // as the fold reads it: a newer command type is not read as another one, nor its unknown fields dropped unsaid
                commands.onCommand(CommandRecord.read(codecs.commands(), r.headers(), r.value()), r.partition(), r.offset());
            }
        } catch (UndecodableRecordException e) {
            if (r.topic().equals(topics.commands())) {
                commands.onUndecodable(key, r.partition(), r.offset(), e.getMessage());
            } else if (r.topic().equals(topics.events())) {
                commands.onUndecodableDecision(key, where(r), e.getMessage());
                log.warn("Read model: cannot decode decision record {}-{}@{} (key {}): {}; which command it decides cannot be told,"
                        + " so the cluster's commands without a decision say theirs may be it. Check that every node writes its schemas"
                        + " where this gateway's node reads them, or upgrade this gateway", r.topic(), r.partition(), r.offset(), key,
                        e.getMessage());
            } else {
                log.warn("Read model: skipping undecodable record {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), key,
                        e.getMessage());
            }
        }
    }

    /** Where a record is, as a person looks for it: "coxswain.events partition 1, offset 42". */
    private static String where(ConsumerRecord<byte[], byte[]> r) {
        return r.topic() + " partition " + r.partition() + ", offset " + r.offset();
    }

    /**
     * A state a newer state schema wrote holding what this gateway's lacks is not shown as if it were all there: with fields
     * dropped, it is shown with a note naming them; not decodable at all, the state before it stays, with a note saying so.
     */
    private void applyState(String clusterId, AvroWireCodec.Read<ClusterState> read) {
        String note = read.dropped().map(d -> NewerSchemas.note("state", NewerSchemas.STATE_VERSION, d, "this gateway")).orElse(null);
        if (read.decoded() != null) {
            clusters.apply(clusterId, read.decoded(), note, read.dropped().orElse(null));
        } else {
            Object version = read.dropped().orElseThrow().asWritten().get("version");
            clusters.unreadable(clusterId, version instanceof Long v ? v : -1, note, read.dropped().get());
        }
    }
}
