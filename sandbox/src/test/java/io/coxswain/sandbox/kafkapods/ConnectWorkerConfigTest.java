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

    @Test
    void plaintextClientsGetNoTlsSettings() {
        ConnectWorkerConfig config = ConnectWorkerConfig.of("bootstrap.servers=127.0.0.1:9092\n", Map.of(), s -> s, 4100);
        assertThat(config.properties()).doesNotContainKey("ssl.endpoint.identification.algorithm")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }
}
