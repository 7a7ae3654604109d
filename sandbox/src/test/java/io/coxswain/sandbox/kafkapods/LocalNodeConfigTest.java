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
    @Test
    void secretMountPathsBecomeTheLocalDirectoriesHoldingTheirFiles() {
        String tls = layout.brokerProperties(0) + "listener.security.protocol.map=REPLICATION:SSL,CLIENT:SSL,CONTROLLER:PLAINTEXT\n"
                + "config.providers=dir\nconfig.providers.dir.param.allowed.paths=/etc/kafka/tls\n"
                + "ssl.keystore.key=${dir:/etc/kafka/tls:payments-broker-0.key}\n"
                + "listener.name.replication.ssl.client.auth=required\nlistener.name.replication.ssl.truststore.certificates=${dir:/etc/kafka/tls:ca.crt}\n"
                + "ssl.truststore.location=/etc/kafka/tls2/ca.crt\n";
        NodeSpec spec = NodeSpec.of("kafka", "payments-broker-0", tls, Path.of("/pvs/b0")).withMounts(Map.of("/etc/kafka/tls", Path.of("/local/tls")));
        LocalNodeConfig broker = LocalNodeConfig.of(spec, ports);
        assertThat(broker.properties().getProperty("ssl.keystore.key")).isEqualTo("${dir:/local/tls:payments-broker-0.key}");
        assertThat(broker.properties().getProperty("config.providers.dir.param.allowed.paths")).isEqualTo("/local/tls");
        assertThat(broker.properties().getProperty("ssl.truststore.location")).as("another path, left alone").isEqualTo("/etc/kafka/tls2/ca.crt");
        // a probe speaks the listener's protocol with the node's own stores, the listener's overrides winning
        assertThat(broker.clientSecurity("REPLICATION")).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.key", "${dir:/local/tls:payments-broker-0.key}")
                .containsEntry("ssl.truststore.certificates", "${dir:/local/tls:ca.crt}")
                .containsEntry("config.providers", "dir").containsEntry("ssl.endpoint.identification.algorithm", "")
                .doesNotContainKey("ssl.client.auth");
        assertThat(broker.clientSecurity("CONTROLLER")).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }
}
