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
 * intentVersion 0, while a replay of its log gives the version of the latest change. {@code cox verify} holds
 * such a record only to the fields its writer had; the executor's first pass replays the log once and records
 * the value, after which the live state is what the log gives, and verify says so with nothing left aside.
 */
class ExecLegacyStateIntegrationTest {

    @Test
    void aStateFromBeforeIntentVersionsIsVerifiedOnWhatItKnewAndBackfilledFromTheLogOnce() throws Exception {
        try (ExecutorWorld world = new ExecutorWorld(1)) {
            String id = "legacy";
            world.send(Commands.on(id).commandId("create-l").createCluster("4.1.0", 1, 1, "1Gi"));
            world.send(Commands.on(id).commandId("label-l").setClusterLabels(Map.of("team", "payments")));
            ClusterState labelled = world.awaitState(id, "labelled", s -> s.getIntentVersion() == 2);
            // the state topic's latest record for the cluster, as a Coxswain from before state v16 wrote it
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(world.topics.state(), id.getBytes(StandardCharsets.UTF_8),
                        OlderWriters.encode(world.node.registry(), world.node.codecs().states(), "state", 15, labelled))).get();
            }
            LogLocation where = LogLocation.of(SharedKafka.bootstrapServers(), world.topics);
            try (Replayer replayer = new Replayer(where)) {
                VerifyReport before = Verifier.verify(replayer, id);
                assertThat(before.differences()).isEmpty();
                assertThat(before.notes()).anyMatch(n -> n.contains("cluster " + id) && n.contains("older Coxswain") && n.contains("intentVersion"));
            }

            world.executor("exec-a");

            ExecutorWorld.await(Duration.ofSeconds(60), "the replayed intentVersion recorded", () -> !backfills(world, id).isEmpty());
            assertThat(backfills(world, id)).singleElement().satisfies(b -> assertThat(b.getIntentVersion()).isEqualTo(2));
            world.awaitState(id, "Ready and acted on", s -> s.getStatus().getReconciledIntentVersion() == 2 && "Ready".equals(s.getStatus().getPhase()));
            try (Replayer replayer = new Replayer(where)) {
                VerifyReport after = Verifier.verify(replayer, id);
                assertThat(after.differences()).isEmpty();
                assertThat(after.identical()).isTrue();
                assertThat(after.notes()).noneMatch(n -> n.contains("older Coxswain"));
            }
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
