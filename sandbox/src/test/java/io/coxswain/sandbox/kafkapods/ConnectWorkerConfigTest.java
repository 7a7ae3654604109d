package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectWorkerConfigTest {

    @Test
    void aPodsConnectPropertiesAreMadeLocal() {
        String file = String.join("\n",
                "bootstrap.servers=shop-kafka-bootstrap.shop.svc:9092",
                "group.id=shop-connect",
                "security.protocol=SSL",
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=/etc/kafka/cluster-ca/ca.crt",
                "producer.security.protocol=SSL",
                "producer.ssl.keystore.location=/etc/kafka/identity/user.pem",
                "consumer.security.protocol=SSL",
                "admin.security.protocol=SSL",
                "plugin.path=/usr/share/java",
                "offset.flush.interval.ms=5000",
                "listeners=http://0.0.0.0:8083");
        Map<String, Path> mounts = Map.of("/etc/kafka/cluster-ca", Path.of("/tmp/s/cluster-ca"), "/etc/kafka/identity", Path.of("/tmp/s/identity"));

        ConnectWorkerConfig config = ConnectWorkerConfig.of(file, mounts,
                servers -> servers.equals("shop-kafka-bootstrap.shop.svc:9092") ? "127.0.0.1:4001" : "unexpected " + servers, 4100);

        Map<String, String> p = config.properties();
        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:4001")
                .containsEntry("ssl.truststore.location", "/tmp/s/cluster-ca/ca.crt")
                .containsEntry("producer.ssl.keystore.location", "/tmp/s/identity/user.pem")
                .containsEntry("listeners", "http://127.0.0.1:4100")
                .containsEntry("rest.advertised.host.name", "127.0.0.1")
                .containsEntry("plugin.discovery", "service_load")
                .containsEntry("offset.flush.interval.ms", "5000") // the ConfigMap's value wins
                .containsEntry("scheduled.rebalance.max.delay.ms", "0")
                .containsEntry("group.id", "shop-connect")
                .doesNotContainKey("plugin.path");
        for (String prefix : ConnectWorkerConfig.CLIENT_PREFIXES) {
            assertThat(p).containsEntry(prefix + "ssl.endpoint.identification.algorithm", "");
        }
        assertThat(config.url()).isEqualTo("http://127.0.0.1:4100");
    }

    /**
     * A connector's own client settings come through the REST API with the pod's paths: the clients the worker makes for
     * connectors read a store named at a mount path from the mount's local directory, as a pod's would from the volume.
     */
    @Test
    void aStoreFileAConnectorNamesAtAMountPathIsReadFromTheMountsLocalDirectory() throws Exception {
        Path local = java.nio.file.Files.createTempDirectory("mirrors");
        ConnectWorkerConfig config = ConnectWorkerConfig.of("bootstrap.servers=b:9092\nproducer.security.protocol=SSL\n",
                Map.of("/mnt/secrets/dr-mirrors", local), s -> s, 4100);
        assertThat(config.properties()).containsEntry("producer.ssl.engine.factory.class", MountedPathsSslEngineFactory.class.getName())
                .containsEntry("producer." + MountedPathsSslEngineFactory.MOUNT + "/mnt/secrets/dr-mirrors", local.toString())
                .doesNotContainKey("ssl.engine.factory.class");

        java.nio.file.Files.writeString(local.resolve("m.source-ca.crt"), "not a certificate");
        // as a client hands it its settings: parsed, with the ones Kafka does not know as given
        Map<String, Object> producer = new java.util.HashMap<>(new org.apache.kafka.common.config.ConfigDef().withClientSslSupport().parse(
                Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", "/mnt/secrets/dr-mirrors/m.source-ca.crt")));
        producer.put(MountedPathsSslEngineFactory.MOUNT + "/mnt/secrets/dr-mirrors", local.toString());
        try (MountedPathsSslEngineFactory factory = new MountedPathsSslEngineFactory()) {
            // the local file is the one read: Kafka's own factory then finds no certificate in it
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> factory.configure(producer))
                    .hasStackTraceContaining(local.resolve("m.source-ca.crt").toString());
        }
    }

    @Test
    void plaintextClientsGetNoTlsSettings() {
        ConnectWorkerConfig config = ConnectWorkerConfig.of("bootstrap.servers=127.0.0.1:9092\n", Map.of(), s -> s, 4100);
        assertThat(config.properties()).doesNotContainKey("ssl.endpoint.identification.algorithm")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }
}
