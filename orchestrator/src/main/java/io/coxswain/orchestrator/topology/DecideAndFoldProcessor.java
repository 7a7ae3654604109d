package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.fold.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each command record, runs {@link CommandFold}, keeps the results in the task's stores and
 * forwards the decision to the events topic and the new state to the state topic. A record that
 * cannot be decoded goes, with its original bytes, to the dead-letter topic, and processing goes on. Nothing is folded
 * onto a stored state a newer fold wrote that this node cannot read whole ({@link NewerStateFields}), and no repeat of a
 * command id is answered with a first decision a newer node wrote that this node cannot read whole
 * ({@link NewerDecisionFields}).
 */
final class DecideAndFoldProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DecideAndFoldProcessor.class);

    private final Codecs codecs;
    private final Admission admission;
    private ProcessorContext<Object, Object> context;
    private TaskStores stores;

    DecideAndFoldProcessor(Codecs codecs, Admission admission) {
        this.codecs = codecs;
        this.admission = admission;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        // a fresh view on every (re)initialisation: nothing decoded survives a restore of the stores
        this.stores = new TaskStores(context.getStateStore(CoxswainTopology.STATE_STORE),
                context.getStateStore(CoxswainTopology.DECISIONS_STORE), codecs.states(), codecs.decisions());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        CommandRecord read;
        try {
            read = CommandRecord.read(codecs.commands(), record.headers(), record.value());
        } catch (UndecodableRecordException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        Optional<Admission.Refusal> refusal = admission.check(key, read, record.headers(), record.value());
        if (refusal.isPresent()) {
            // rejected, and deliberately not stored as decided: see Admission
            Decision d = read.refused(refusal.get().rejection(), offset);
            emitDecision(read.clusterId(), stores.encode(d), record.timestamp());
            log.warn("cluster={} command={} issuer={} signingKey={}: rejected {}: {}", read.clusterId(), read.commandId(), read.issuer(),
                    refusal.get().keyId(), refusal.get().rejection().code(), refusal.get().rejection().reason());
            return;
        }
        Command command = read.command();
        Optional<Held> held = Held.check(stores, command);
        if (held.isPresent()) {
            hold(held.get(), offset, record.timestamp());
            return;
        }
        CommandFold.Step step = CommandFold.apply(stores, command, offset);
        byte[] decision = step.duplicate() ? stores.encode(step.decision()) : stores.putDecision(step.decision());
        step.newState().ifPresent(state -> context.forward(
                new Record<Object, Object>(state.getClusterId(), stores.putState(state), record.timestamp(), new RecordHeaders()),
                CoxswainTopology.STATE_SINK));
        emitDecision(command.getClusterId(), decision, record.timestamp());
        logDecision(command, step);
    }

    /** Nothing folded, nothing stored: a command rejected, not decided, an observation dropped. */
    private void hold(Held held, long offset, long timestamp) {
        Command c = held.command();
        if (held.observation()) {
            log.warn("cluster={} command={} issuer={}: {}", c.getClusterId(), c.getCommandId(), c.getIssuer(), held.warning());
            return;
        }
        Rejection rejection = held.rejection();
        emitDecision(c.getClusterId(), stores.encode(CommandFold.refused(c, rejection, offset)), timestamp);
        log.warn("cluster={} command={} issuer={}: rejected {}: {}", c.getClusterId(), c.getCommandId(), c.getIssuer(), rejection.code(),
                rejection.reason());
    }

    private void emitDecision(String clusterId, byte[] decision, long timestamp) {
        context.forward(new Record<Object, Object>(clusterId, decision, timestamp, new RecordHeaders()), CoxswainTopology.EVENTS_SINK);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        String topic = meta.map(RecordMetadata::topic).orElse("?");
        int partition = meta.map(RecordMetadata::partition).orElse(-1);
        long offset = meta.map(RecordMetadata::offset).orElse(-1L);
        String key = record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
        log.warn("Dead-lettered record {}-{}@{} (key {}): {}. The original bytes are on the dead-letter topic; fix the producer and"
                + " re-send.", topic, partition, offset, key, reason);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                DeadLetters.headers(record.headers(), reason, topic, partition, offset)), CoxswainTopology.DEADLETTER_SINK);
    }

    private static void logDecision(Command c, CommandFold.Step step) {
        Object outcome = step.decision().getOutcome();
        String type = Commands.typeOf(c);
        if (step.duplicate()) {
            log.info("cluster={} command={} type={}: repeated command id, returning its first outcome", c.getClusterId(), c.getCommandId(),
                    type);
        } else if (outcome instanceof CommandAccepted a) {
            log.debug("cluster={} command={} type={} issuer={}: accepted, version {}", c.getClusterId(), c.getCommandId(), type,
                    c.getIssuer(), a.getVersion());
        } else if (outcome instanceof CommandRejected r) {
            log.info("cluster={} command={} type={} issuer={}: rejected {}: {}", c.getClusterId(), c.getCommandId(), type, c.getIssuer(),
                    r.getCode(), r.getReason());
        }
    }
}
