package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ExecKafkaPropertiesTest {

    private final ClusterState state = TestStates.created("payments", 3, 3);
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");

    @Test
    void controllerIdsStartAtOneThousandAndVotersListEveryController() throws IOException {
        Properties p = parse(KafkaProperties.forNode(state.getSpec(), names, KafkaRole.CONTROLLER, 2, 3, Optional.empty()));
        assertThat(p.getProperty("node.id")).isEqualTo("1002");
        assertThat(p.getProperty("process.roles")).isEqualTo("controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(
                "1000@payments-controller-0.payments-controller.payments.svc:9093,"
                        + "1001@payments-controller-1.payments-controller.payments.svc:9093,"
                        + "1002@payments-controller-2.payments-controller.payments.svc:9093");
        assertThat(p.getProperty("listeners")).isEqualTo("CONTROLLER://:9093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("CONTROLLER://payments-controller-2.payments-controller.payments.svc:9093");
    }

    @Test
    void brokerIdIsItsOrdinalAndItAdvertisesItsOwnPodName() throws IOException {
        Properties p = parse(KafkaProperties.forNode(state.getSpec(), names, KafkaRole.BROKER, 1, 3, Optional.empty()));
        assertThat(p.getProperty("node.id")).isEqualTo("1");
        assertThat(p.getProperty("process.roles")).isEqualTo("broker");
        assertThat(p.getProperty("inter.broker.listener.name")).isEqualTo("REPLICATION");
        assertThat(p.getProperty("listeners")).isEqualTo("REPLICATION://:9091,CLIENTS://:9092");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo(
                "REPLICATION://payments-broker-1.payments-broker.payments.svc:9091,CLIENTS://payments-broker-1.payments-broker.payments.svc:9092");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/var/lib/kafka/data/logs");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
        assertThat(p.getProperty("broker.rack")).isNull();
    }

    @Test
    void topicsCreatedWithoutAReplicaCountGetThreeOrEveryBrokerOnBothRoles() throws IOException {
        // in KRaft the active controller fills in the count of a CreateTopics without one (Connect's -1)
        for (KafkaRole role : KafkaRole.values()) {
            assertThat(parse(KafkaProperties.forNode(state.getSpec(), names, role, 0, 5, Optional.empty())).getProperty("default.replication.factor"))
                    .as(role + " of a 5-broker cluster").isEqualTo("3");
            assertThat(parse(KafkaProperties.forNode(state.getSpec(), names, role, 0, 2, Optional.empty())).getProperty("default.replication.factor"))
                    .as(role + " of a 2-broker cluster").isEqualTo("2");
        }
        ClusterState own = TestStates.created("payments", TestStates.create(3, 5).setBrokerConfig(Map.of("default.replication.factor", "4")).build());
        for (KafkaRole role : KafkaRole.values()) {
            assertThat(parse(KafkaProperties.forNode(own.getSpec(), names, role, 0, 5, Optional.empty())).getProperty("default.replication.factor"))
                    .as("the user's brokerConfig value, on the " + role + " too").isEqualTo("4");
        }
    }

    @Test
    void externalListenerIsAdvertisedOnceTheAddressIsKnown() throws IOException {
        Properties p = parse(KafkaProperties.forNode(state.getSpec(), names, KafkaRole.BROKER, 0, 3,
                Optional.of(new ExternalAddress(ExternalAddress.NODE_HOST, 31001))));
        assertThat(p.getProperty("listeners")).endsWith(",EXTERNAL://:9094");
        assertThat(p.getProperty("advertised.listeners")).endsWith(",EXTERNAL://@HOST_IP@:31001");
    }

    @Test
    void userBrokerConfigIsAppliedButCannotTouchReservedKeys() throws IOException {
        ClusterState s = TestStates.created("payments", TestStates.create(1, 1).setRackAware(true)
                .setBrokerConfig(Map.of("min.insync.replicas", "2", "offsets.topic.replication.factor", "1")).build());
        // commands cannot carry reserved keys (shape check); a state that somehow has one must not leak it
        s.getSpec().setBrokerConfig(Map.of("min.insync.replicas", "2", "node.id", "7", "offsets.topic.replication.factor", "1"));
        Properties p = parse(KafkaProperties.forNode(s.getSpec(), names, KafkaRole.BROKER, 0, 1, Optional.empty()));
        assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
        assertThat(p.getProperty("node.id")).isEqualTo("0");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("broker.rack")).isEqualTo(KafkaProperties.ZONE_PLACEHOLDER);
        Properties controller = parse(KafkaProperties.forNode(s.getSpec(), names, KafkaRole.CONTROLLER, 0, 1, Optional.empty()));
        assertThat(controller.getProperty("min.insync.replicas")).as("brokerConfig is for brokers").isNull();
    }

    @Test
    void configHashIgnoresBrokerCountButFollowsVersionAndConfig() {
        ClusterState three = TestStates.created("payments", 3, 3);
        ClusterState five = TestStates.created("payments", 3, 5);
        ClusterState tuned = TestStates.created("payments", TestStates.create(3, 3).setBrokerConfig(Map.of("log.roll.hours", "100")).build());
        ClusterState liveTuned = TestStates.created("payments", TestStates.create(3, 3).setBrokerConfig(Map.of("num.io.threads", "16")).build());
        ClusterState newer = TestStates.created("payments", TestStates.create(3, 3).setKafkaVersion("4.2.0").build());
        String hash = KafkaProperties.configHash(three.getSpec(), names, KafkaRole.BROKER);
        assertThat(KafkaProperties.configHash(five.getSpec(), names, KafkaRole.BROKER)).isEqualTo(hash);
        assertThat(KafkaProperties.configHash(tuned.getSpec(), names, KafkaRole.BROKER)).isNotEqualTo(hash);
        assertThat(KafkaProperties.configHash(newer.getSpec(), names, KafkaRole.BROKER)).isNotEqualTo(hash);
        assertThat(KafkaProperties.configHash(liveTuned.getSpec(), names, KafkaRole.BROKER))
                .as("num.io.threads is applied live: no reason to restart").isEqualTo(hash);
        assertThat(KafkaProperties.configHash(tuned.getSpec(), names, KafkaRole.CONTROLLER))
                .isEqualTo(KafkaProperties.configHash(three.getSpec(), names, KafkaRole.CONTROLLER));
    }

    @Test
    void kafkaClusterIdIsAStableBase64Uuid() {
        String id = KafkaProperties.kafkaClusterId("payments");
        assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+").isEqualTo(KafkaProperties.kafkaClusterId("payments"));
        assertThat(KafkaProperties.kafkaClusterId("orders")).isNotEqualTo(id);
    }

    private static Properties parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
