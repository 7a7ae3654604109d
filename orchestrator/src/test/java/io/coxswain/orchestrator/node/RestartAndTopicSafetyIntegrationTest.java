package io.coxswain.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.topology.CoxswainTopology;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartAndTopicSafetyIntegrationTest {

    @Test
    void restartingWithTheSameDataDirFindsEveryCommandAndAllState(@TempDir Path dataDir) {
        ClusterState before;
        NodeFixture fixture;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            fixture = new NodeFixture(kafka.bootstrapServers()).start();
            try (CommandClient client = fixture.client()) {
                client.send(Commands.on("payments").createCluster("4.1.0", 3, 3, "10Gi")).toCompletableFuture().join();
                client.send(Commands.on("payments").createTopic("orders", 6, 3, Map.of())).toCompletableFuture().join();
            }
            NodeFixture.await(Duration.ofSeconds(30), "version 2", () -> fixture.node.localClusterState("payments").map(s -> s.getVersion() == 2).orElse(false));
            before = fixture.node.localClusterState("payments").orElseThrow();
            changelogIsCompactedInSmallSegments(kafka.bootstrapServers(), fixture.config);
            fixture.node.close();
            fixture.node = null;
        }
        // Same data dir: the broker keeps the log; the node keeps its state dir too.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            NodeConfig c = fixture.config;
            NodeConfig restarted = new NodeConfig(kafka.bootstrapServers(), c.topics(), c.applicationId(), c.stateDir(),
                    c.partitions(), c.replicationFactor(), null, Map.of(), c.signatures(), c.sessionTimeout());
            try (CoxswainNode node = CoxswainNode.start(restarted, Duration.ofSeconds(60))) {
                NodeFixture.await(Duration.ofSeconds(20), "restored state", () -> node.localClusterState("payments").isPresent());
                assertThat(node.localClusterState("payments").orElseThrow()).isEqualTo(before);
                try (CommandClient client = CommandClient.builder(kafka.bootstrapServers()).topics(fixture.topics).build()) {
                    Outcome next = client.send(Commands.on("payments").scaleBrokers(4)).toCompletableFuture().join();
                    assertThat(next).isInstanceOfSatisfying(Outcome.Accepted.class, a -> assertThat(a.version()).isEqualTo(3));
                }
            } finally {
                fixture.close();
            }
        }
    }

    /**
     * The states are held in memory and restored from this changelog at every start: what a start reads must stay bounded.
     * Checked on the node of the restart test above, whose start is what it bounds (a node of its own was most of the time).
     */
    private static void changelogIsCompactedInSmallSegments(String bootstrap, NodeConfig node) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, node.applicationId() + "-" + CoxswainTopology.STATE_STORE + "-changelog");
            Config config = admin.describeConfigs(List.of(changelog)).all().toCompletionStage().toCompletableFuture().join().get(changelog);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(Integer.parseInt(config.get("segment.bytes").value())).isEqualTo(16 * 1024 * 1024);
        }
    }

    @Test
    void aCommandTopicWithFiniteRetentionIsRefused() throws Exception {
        NodeFixture fixture = new NodeFixture();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(fixture.topics.commands(), 1, (short) 1)
                    .configs(Map.of("retention.ms", "604800000")))).all().get();
        }
        assertThatThrownBy(fixture::start)
                .isInstanceOf(UnsafeTopicException.class)
                .hasMessageContaining(fixture.topics.commands())
                .hasMessageContaining("retention.ms=604800000")
                .hasMessageContaining("--add-config cleanup.policy=delete,retention.ms=-1");
        fixture.close();
    }

    @Test
    void aCompactedCommandTopicIsRefused() throws Exception {
        NodeFixture fixture = new NodeFixture();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(fixture.topics.commands(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1")))).all().get();
        }
        assertThatThrownBy(fixture::start).isInstanceOf(UnsafeTopicException.class).hasMessageContaining("cleanup.policy=compact");
        fixture.close();
    }
}
