package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.OlderWriters;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.Replayer;
import io.coxswain.orchestrator.audit.Verifier;
import io.coxswain.orchestrator.audit.VerifyReport;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * An installation upgraded from a Coxswain before intent versions: its state records (state schema v15) read
 * intentVersion 0, in the node's store and on the state topic, while a replay of its log gives the version of the
 * latest change. {@code cox verify} notes that field rather than calling the record altered; the executor replays the
 * log once and records the value, the fold takes it, and the live state is what the log gives, with nothing left aside.
 */
class ExecLegacyStateIntegrationTest {

    @Test
    void aStateFromBeforeIntentVersionsIsVerifiedOnWhatItKnewAndBackfilledFromTheLogOnce() throws Exception {
        try (ExecutorWorld world = new ExecutorWorld(1)) {
            String id = "legacy";
            world.send(Commands.on(id).commandId("create-l").createCluster("4.1.0", 1, 1, "1Gi"));
            world.send(Commands.on(id).commandId("label-l").setClusterLabels(Map.of("team", "payments")));
            ClusterState labelled = world.awaitState(id, "labelled", s -> s.getIntentVersion() == 2);
            // the cluster's latest state, in the node's store and on the state topic, as a Coxswain from before state v16 wrote it
            byte[] legacy = OlderWriters.encode(world.node.registry(), world.node.codecs().states(), "state", 15, labelled);
            world.restartNodeFromChangelog(() -> {
                try (KafkaProducer<byte[], byte[]> producer = producer()) {
                    for (String topic : List.of(world.stateChangelog(), world.topics.state())) {
                        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), legacy)).get();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(world.awaitState(id, "restored", s -> true).getIntentVersion()).as("the store holds the v15 record").isZero();
            LogLocation where = LogLocation.of(SharedKafka.bootstrapServers(), world.topics);
            try (Replayer replayer = new Replayer(where)) {
                VerifyReport before = Verifier.verify(replayer, id);
                assertThat(before.differences()).isEmpty();
                assertThat(before.notes()).anyMatch(n -> n.contains("cluster " + id) && n.contains("has no intentVersion") && n.contains("the log gives 2"));
            }

            world.executor("exec-a");

            ExecutorWorld.await(Duration.ofSeconds(60), "the replayed intentVersion recorded", () -> !backfills(world, id).isEmpty());
            assertThat(backfills(world, id)).singleElement().satisfies(b -> assertThat(b.getIntentVersion()).isEqualTo(2));
            assertThat(world.awaitState(id, "the replayed intentVersion folded", s -> s.getIntentVersion() != 0).getIntentVersion()).isEqualTo(2);
            world.awaitState(id, "Ready and acted on", s -> s.getStatus().getReconciledIntentVersion() == 2 && "Ready".equals(s.getStatus().getPhase()));
            // the executor goes on recording what it sees: verify compares a moment when the state topic has caught up with the log
            VerifyReport[] after = {null};
            ExecutorWorld.await(Duration.ofSeconds(60), "verify to find the live state identical to the replay", () -> {
                try (Replayer replayer = new Replayer(where)) {
                    after[0] = Verifier.verify(replayer, id);
                }
                return after[0].identical();
            });
            assertThat(after[0].differences()).isEmpty();
            assertThat(after[0].notes()).noneMatch(n -> n.contains("has no intentVersion"));
            assertThat(backfills(world, id)).as("recorded once").hasSize(1);
        }
    }

    private static List<IntentVersionReplayed> backfills(ExecutorWorld world, String id) {
        return world.commandLog().stream().filter(c -> c.getClusterId().equals(id)).map(Command::getPayload)
                .filter(p -> p instanceof RecordObservation o && o.getObservation() instanceof IntentVersionReplayed)
                .map(p -> (IntentVersionReplayed) ((RecordObservation) p).getObservation()).toList();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
