package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "As of" must mean what was live then. The log is written in phases through a real node; after each
 * phase the states on the live state topic are captured, with the time and the command-topic offsets
 * the phase ended at. Replay to that time or offset, and atVersion for each captured version, must give
 * those captured records byte for byte.
 */
class AsOfTest {

    private static final int PHASES = 4;

    /** What was live at the end of one phase. */
    record Checkpoint(Instant boundary, Map<String, String> states, Map<Integer, Long> lastOffsets) {
    }

    private static String bootstrap;
    private static Topics topics;
    private static Path stateDir;
    private static CoxswainNode node;
    private static final List<Checkpoint> checkpoints = new ArrayList<>();
    private static final Map<String, Integer> partitionOf = new HashMap<>();
    private static Instant firstRecord;

    @BeforeAll
    static void writeInPhasesAndCaptureLiveStates() throws IOException {
        bootstrap = SharedKafka.bootstrapServers();
        topics = AuditFixture.newTopics();
        stateDir = Files.createTempDirectory("audit-asof");
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 3); // retries the topic-creation race a fresh start can hit
        node = CoxswainNode.start(AuditFixture.backlogNode(bootstrap, stateDir, topics, "audit-asof-" + UUID.randomUUID()), Duration.ofSeconds(60));
        long t0 = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        firstRecord = Instant.ofEpochMilli(t0);
        long written = 0;
        Map<Integer, Long> lastOffsets = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            for (int phase = 0; phase < PHASES; phase++) {
                long base = t0 + phase * 60_000L;
                List<AuditFixture.Raw> records = new VariedLog(100 + phase, node.codecs(), node.registry(),
                        ShippedSchemas.history().get("commands"), base).random(12, 250).records();
                List<RecordMetadata> sent = AuditFixture.send(producer, topics.commands(), records);
                for (int i = 0; i < records.size(); i++) {
                    lastOffsets.merge(sent.get(i).partition(), sent.get(i).offset(), Math::max);
                    if (records.get(i).key() != null) {
                        partitionOf.put(new String(records.get(i).key(), StandardCharsets.UTF_8), sent.get(i).partition());
                    }
                }
                written += records.size();
                AuditFixture.awaitProcessed(bootstrap, topics, written, Duration.ofSeconds(60));
                Map<String, String> live = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> r : AuditFixture.readAll(bootstrap, topics.state())) {
                    live.put(new String(r.key(), StandardCharsets.UTF_8), Base64.getEncoder().encodeToString(r.value()));
                }
                checkpoints.add(new Checkpoint(Instant.ofEpochMilli(base + records.size() - 1), live, new TreeMap<>(lastOffsets)));
            }
        }
    }

    @AfterAll
    static void stop() {
        AuditFixture.stop(node, stateDir);
    }

    @Test
    void replayToTheEndOfEachPhaseGivesTheStatesThatWereLiveThen() {
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            for (Checkpoint cp : checkpoints) {
                assertThat(encoded(replayer.replay(ReplayOptions.all().until(cp.boundary())).states()))
                        .as("states as of %s", cp.boundary()).containsExactlyInAnyOrderEntriesOf(cp.states());
                // any instant before the next phase's first record gives the same
                assertThat(encoded(replayer.replay(ReplayOptions.all().until(cp.boundary().plusSeconds(30))).states()))
                        .containsExactlyInAnyOrderEntriesOf(cp.states());
            }
            assertThat(replayer.replay(ReplayOptions.all().until(firstRecord.minusMillis(1))).states()).isEmpty();
        }
    }

    @Test
    void asOfAtVersionAndToOffsetReproduceEachCapturedClusterState() {
        try (AuditService audit = new AuditService(LogLocation.of(bootstrap, topics), 2);
             Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            for (Checkpoint cp : checkpoints) {
                for (Map.Entry<String, String> e : cp.states().entrySet()) {
                    String cluster = e.getKey();
                    ClusterState captured = decode(e.getValue());
                    Optional<ClusterState> asOf = audit.stateAsOf(cluster, cp.boundary()).toCompletableFuture().join();
                    Optional<ClusterState> atVersion = audit.stateAtVersion(cluster, captured.getVersion()).toCompletableFuture().join();
                    ClusterState toOffset = replayer.replay(ReplayOptions.all().cluster(cluster)
                            .untilOffset(cp.lastOffsets().get(partitionOf.get(cluster)))).states().get(cluster);
                    assertThat(encode(asOf.orElseThrow())).as("%s as of %s", cluster, cp.boundary()).isEqualTo(e.getValue());
                    assertThat(encode(atVersion.orElseThrow())).as("%s at version %d", cluster, captured.getVersion()).isEqualTo(e.getValue());
                    assertThat(encode(toOffset)).as("%s to offset", cluster).isEqualTo(e.getValue());
                }
            }
            Checkpoint last = checkpoints.get(checkpoints.size() - 1);
            String someCluster = last.states().keySet().iterator().next();
            long latest = decode(last.states().get(someCluster)).getVersion();
            assertThat(audit.stateAtVersion(someCluster, latest + 1).toCompletableFuture().join()).isEmpty();
            assertThat(audit.stateAsOf(someCluster, firstRecord.minusSeconds(1)).toCompletableFuture().join()).isEmpty();
        }
    }

    private static Map<String, String> encoded(Map<String, ClusterState> states) {
        Map<String, String> out = new TreeMap<>();
        states.forEach((id, s) -> out.put(id, encode(s)));
        return out;
    }

    /** Base64 of the wire bytes: byte-for-byte comparison with readable failures. */
    private static String encode(ClusterState s) {
        return Base64.getEncoder().encodeToString(node.codecs().states().encode(s));
    }

    private static ClusterState decode(String base64) {
        return node.codecs().states().decode(Base64.getDecoder().decode(base64));
    }
}
