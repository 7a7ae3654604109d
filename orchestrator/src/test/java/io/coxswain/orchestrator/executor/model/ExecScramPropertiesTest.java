package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What a cluster with a SCRAM-SHA-512 user adds to its brokers' server.properties, and that one without did not move. */
class ExecScramPropertiesTest {

    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState tls = TestStates.created("payments", TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS).build());

    private ClusterState withScram() {
        ClusterState scram = TestStates.created("payments", TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS).build());
        scram.getSpec().setScramListener(true);
        return scram;
    }

    @Test
    void brokersListenForScramClientsOverTlsOnTheirOwnPortAndControllersDoNot() throws IOException {
        Properties broker = parse(KafkaProperties.forNode(withScram().getSpec(), names, KafkaRole.BROKER, 1, 3, Optional.empty()));
        assertThat(broker.getProperty("listeners")).endsWith(",SCRAM://:9095");
        assertThat(broker.getProperty("advertised.listeners")).endsWith(",SCRAM://" + names.podHost(KafkaRole.BROKER, 1) + ":9095");
        assertThat(broker.getProperty("listener.security.protocol.map")).contains("CLIENTS:SSL").endsWith(",SCRAM:SASL_SSL");
        assertThat(broker.getProperty("listener.name.scram.sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
        assertThat(broker.getProperty("listener.name.scram.scram-sha-512.sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required;");
        assertThat(broker.getProperty("listener.name.scram.ssl.client.auth")).as("the password authenticates").isEqualTo("none");
        assertThat(broker.getProperty("inter.broker.listener.name")).isEqualTo("REPLICATION");

        Properties controller = parse(KafkaProperties.forNode(withScram().getSpec(), names, KafkaRole.CONTROLLER, 0, 3, Optional.empty()));
        assertThat(controller.stringPropertyNames()).noneMatch(k -> k.contains("scram") || k.contains("sasl"));
        assertThat(KafkaProperties.configHash(withScram().getSpec(), names, KafkaRole.CONTROLLER))
                .as("controllers do not roll for it").isEqualTo(KafkaProperties.configHash(tls.getSpec(), names, KafkaRole.CONTROLLER));
    }

    @Test
    void aClusterWithoutScramUsersKeepsItsBrokersFilesAndTheFirstOneRollsThem() {
        assertThat(KafkaProperties.forNode(tls.getSpec(), names, KafkaRole.BROKER, 0, 3, Optional.empty())).doesNotContain("SCRAM", "sasl");
        assertThat(KafkaProperties.configHash(withScram().getSpec(), names, KafkaRole.BROKER))
                .isNotEqualTo(KafkaProperties.configHash(tls.getSpec(), names, KafkaRole.BROKER));
    }

    private static Properties parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
