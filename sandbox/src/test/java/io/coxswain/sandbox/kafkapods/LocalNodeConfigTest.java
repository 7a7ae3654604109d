package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalNodeConfigTest {

    private final PortBook ports = new PortBook();
    private final LocalCluster layout = new LocalCluster(null, "kafka", "payments", 3, Path.of("/pvs"), Map.of("num.io.threads", "8"));

    @Test
    void brokerListenersAndVotersPointAtLocalPortsKeptPerPodAndListener() {
        LocalNodeConfig broker = LocalNodeConfig.of(NodeSpec.of("kafka", "payments-broker-1", layout.brokerProperties(1), Path.of("/pvs/b1")), ports);
        int replication = ports.port("kafka", "payments-broker-1", "REPLICATION");
        int client = ports.port("kafka", "payments-broker-1", "CLIENT");
        assertThat(broker.properties().getProperty("listeners"))
                .isEqualTo("REPLICATION://127.0.0.1:" + replication + ",CLIENT://127.0.0.1:" + client);
        assertThat(broker.properties().getProperty("advertised.listeners")).isEqualTo(broker.properties().getProperty("listeners"));
        assertThat(broker.properties().getProperty("controller.quorum.voters")).isEqualTo(
                "1000@127.0.0.1:" + ports.port("kafka", "payments-controller-0", "CONTROLLER")
                        + ",1001@127.0.0.1:" + ports.port("kafka", "payments-controller-1", "CONTROLLER")
                        + ",1002@127.0.0.1:" + ports.port("kafka", "payments-controller-2", "CONTROLLER"));
        assertThat(broker.clientAddress()).hasValue("127.0.0.1:" + replication);
        assertThat(broker.nodeId()).isEqualTo(1);
        assertThat(broker.broker()).isTrue();
        assertThat(broker.controller()).isFalse();
    }

    @Test
    void theControllerListensWhereTheBrokersConfigSaysItDoesEvenIfItStartsLater() {
        LocalNodeConfig broker = LocalNodeConfig.of(NodeSpec.of("kafka", "payments-broker-0", layout.brokerProperties(0), Path.of("/pvs/b0")), ports);
        LocalNodeConfig controller = LocalNodeConfig.of(
                NodeSpec.of("kafka", "payments-controller-2", layout.controllerProperties(2), Path.of("/pvs/c2")), ports);
        assertThat(broker.properties().getProperty("controller.quorum.voters")).contains("1002@" + controller.controllerAddress().orElseThrow());
        assertThat(controller.clusterId()).as("derived from the shared quorum line").isEqualTo(broker.clusterId());
    }

    @Test
    void dataLivesUnderThePodsVolumeAndTheConfigMapWinsOverSandboxLimits() {
        LocalNodeConfig broker = LocalNodeConfig.of(NodeSpec.of("kafka", "payments-broker-0", layout.brokerProperties(0), Path.of("/pvs/b0")), ports);
        assertThat(broker.logDirs()).containsExactly(Path.of("/pvs/b0/var/lib/kafka/data"));
        assertThat(broker.properties().getProperty("log.dirs")).isEqualTo("/pvs/b0/var/lib/kafka/data");
        assertThat(broker.properties().getProperty("num.io.threads")).isEqualTo("8");
        assertThat(broker.properties().getProperty("log.cleaner.dedupe.buffer.size")).isEqualTo(String.valueOf(4 * 1024 * 1024));
    }

    @Test
    void anExplicitClusterIdWinsAndMissingKeysAreNamed() {
        NodeSpec spec = NodeSpec.of("kafka", "payments-broker-0", layout.brokerProperties(0), Path.of("/pvs/b0")).withClusterId("abc");
        assertThat(LocalNodeConfig.of(spec, ports).clusterId()).isEqualTo("abc");
        assertThatThrownBy(() -> LocalNodeConfig.of(NodeSpec.of("kafka", "x-0", "node.id=1\n", Path.of("/pvs/x")), ports))
                .hasMessage("server.properties of pod kafka/x-0 has no process.roles");
    }
}
