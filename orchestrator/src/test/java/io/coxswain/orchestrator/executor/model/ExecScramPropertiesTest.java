package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What a cluster with a SCRAM-SHA-512 user adds to its brokers' server.properties (with external access too,
 * a second listener for applications outside Kubernetes), and that one without either did not move.
 */
class ExecScramPropertiesTest {

    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState tls = TestStates.created("payments", TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS).build());

    private ClusterState withScram() {
        return withScram(ExternalAccess.NONE);
    }

    private ClusterState withScram(ExternalAccess access) {
        ClusterState scram = TestStates.created("payments", TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS)
                .setExternalAccess(access).build());
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

    @Test
    void fromOutsideBrokersTakeScramClientsOnASecondExternalListenerAtTheObservedNodePort() throws IOException {
        Properties broker = parse(KafkaProperties.forNode(withScram(ExternalAccess.NODE_PORT).getSpec(), names, KafkaRole.BROKER, 1, 3,
                Optional.of(new ExternalAddress(ExternalAddress.NODE_HOST, 31001, 31002))));
        assertThat(broker.getProperty("listeners")).endsWith(",EXTERNAL://:9094,SCRAM://:9095,EXTERNAL_SCRAM://:9096");
        assertThat(broker.getProperty("advertised.listeners")).contains(",EXTERNAL://@HOST_IP@:31001,")
                .endsWith(",EXTERNAL_SCRAM://@HOST_IP@:31002");
        assertThat(broker.getProperty("listener.security.protocol.map")).contains("EXTERNAL:SSL").endsWith(",SCRAM:SASL_SSL,EXTERNAL_SCRAM:SASL_SSL");
        assertThat(broker.getProperty("listener.name.external_scram.sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
        assertThat(broker.getProperty("listener.name.external_scram.scram-sha-512.sasl.jaas.config"))
                .isEqualTo(broker.getProperty("listener.name.scram.scram-sha-512.sasl.jaas.config"));
        assertThat(broker.getProperty("listener.name.external_scram.ssl.client.auth")).as("the password authenticates").isEqualTo("none");
        assertThat(broker.getProperty("listener.name.external.ssl.client.auth")).as("EXTERNAL still asks for certificates").isEqualTo("required");
        assertThat(broker.getProperty("ssl.keystore.certificate.chain")).as("one keystore, the broker's own certificate, on every listener")
                .isEqualTo("${dir:/etc/kafka/tls:payments-broker-1.crt}");
        assertThat(KafkaProperties.configHash(withScram(ExternalAccess.NODE_PORT).getSpec(), names, KafkaRole.BROKER))
                .as("the brokers roll to open it").isNotEqualTo(KafkaProperties.configHash(withScram().getSpec(), names, KafkaRole.BROKER));
    }

    @Test
    void fromOutsideALoadBalancedBrokerAdvertisesItsScramListenerAtItsOwnHost() throws IOException {
        ExternalAddress address = new ExternalAddress("kafka-1.example.com", 9094, 9096);
        Properties broker = parse(KafkaProperties.forNode(withScram(ExternalAccess.LOAD_BALANCER).getSpec(), names, KafkaRole.BROKER, 1, 3,
                Optional.of(address)));
        assertThat(broker.getProperty("advertised.listeners")).contains(",EXTERNAL://kafka-1.example.com:9094,")
                .endsWith(",EXTERNAL_SCRAM://kafka-1.example.com:9096");
        assertThat(ExternalAddress.namedHosts(Map.of(1, address))).as("the host the broker's certificate names, for both listeners")
                .containsExactly(Map.entry(1, "kafka-1.example.com"));
    }

    @Test
    void theExternalScramListenerIsLeftOutUntilKubernetesAssignedItsPort() throws IOException {
        ClusterState scram = withScram(ExternalAccess.NODE_PORT);
        for (Optional<ExternalAddress> unobserved : List.of(Optional.<ExternalAddress>empty(),
                Optional.of(new ExternalAddress(ExternalAddress.NODE_HOST, 31001)))) {
            Properties broker = parse(KafkaProperties.forNode(scram.getSpec(), names, KafkaRole.BROKER, 0, 3, unobserved));
            assertThat(broker.getProperty("listeners")).as("%s", unobserved).doesNotContain("EXTERNAL_SCRAM").endsWith(",SCRAM://:9095");
            assertThat(broker.getProperty("advertised.listeners")).as("%s", unobserved).doesNotContain("EXTERNAL_SCRAM");
            assertThat(broker.getProperty("listener.security.protocol.map")).as("declared, as EXTERNAL is before its address")
                    .endsWith(",EXTERNAL_SCRAM:SASL_SSL");
        }
    }

    @Test
    void withoutExternalAccessOrWithoutScramUsersFilesAndObjectsStayByteForByte() {
        // computed from the code before EXTERNAL_SCRAM existed (e63371d): a change here would roll, or rewrite the Services of,
        // every cluster with SCRAM users inside Kubernetes only, and every externally reached cluster without them
        assertThat(filesAndObjects(withScram(), new ExternalAddress(ExternalAddress.NODE_HOST, 31001))).isEqualTo("a46a2b06d56deafa");
        ClusterState external = TestStates.created("payments", TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS)
                .setExternalAccess(ExternalAccess.NODE_PORT).build());
        assertThat(filesAndObjects(external, new ExternalAddress(ExternalAddress.NODE_HOST, 31001))).isEqualTo("4ac6c11ae2b6f452");
        assertThat(filesAndObjects(external, new ExternalAddress(ExternalAddress.NODE_HOST, 31001, 31002)))
                .as("a SCRAM port left on a Service is not advertised once the last SCRAM user is gone").isEqualTo("4ac6c11ae2b6f452");
    }

    /** Every object the cluster's state asks for (the config files, their hashes, pods, Services), one broker's address observed. */
    private String filesAndObjects(ClusterState state, ExternalAddress observed) {
        DesiredCluster desired = DesiredCluster.of(state, ModelSettings.defaults(),
                new DesiredCluster.Inputs(3, Map.of(0, observed), 0, null, Map.of(), Map.of(), null));
        StringBuilder all = new StringBuilder();
        for (HasMetadata o : desired.objects()) {
            if (!(o instanceof NetworkPolicy)) { // a kind made since these hashes were taken: new objects, nothing rewritten
                all.append(Serialization.asJson(o));
            }
        }
        DesiredCluster.externalServices(state.getSpec(), names, 3).forEach(o -> all.append(Serialization.asJson(o)));
        return KafkaProperties.hash(all.toString());
    }

    private static Properties parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
