package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A platform component beside a cluster that requires client certificates connects as the user of
 * its own name: every Kafka client it makes presents that user's certificate from its mounted
 * Secret, and a re-issued certificate rolls its pods. Beside a cluster that does not, nothing changes.
 */
class ExecComponentIdentityTest {

    private static final String KEYSTORE = "/etc/kafka/identity/user.pem";
    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState open = withEveryComponent(TestStates.created("payments", 3, 3));
    private final ClusterState identified = withEveryComponent(TestStates.created("payments",
            TestStates.create(3, 3).setClientAuthentication(ClientAuthentication.TLS).build()));

    @Test
    void everyKafkaClientOfAComponentPresentsItsUsersCertificate() {
        Map<String, String> registry = ComponentProperties.of(identified.getSpec(), names, PlatformComponent.SCHEMA_REGISTRY);
        assertThat(registry).containsEntry("kafkastore.ssl.keystore.type", "PEM").containsEntry("kafkastore.ssl.keystore.location", KEYSTORE);
        Map<String, String> rest = ComponentProperties.of(identified.getSpec(), names, PlatformComponent.REST_PROXY);
        assertThat(rest).containsEntry("client.ssl.keystore.type", "PEM").containsEntry("client.ssl.keystore.location", KEYSTORE);
        Map<String, String> connect = ComponentProperties.of(identified.getSpec(), names, PlatformComponent.CONNECT);
        for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
            // the worker's own clients and those it makes for connectors
            assertThat(connect).as(prefix).containsEntry(prefix + "ssl.keystore.type", "PEM").containsEntry(prefix + "ssl.keystore.location", KEYSTORE);
        }
        Map<String, String> ksql = ComponentProperties.of(identified.getSpec(), names, PlatformComponent.KSQLDB);
        assertThat(ksql).containsEntry("ssl.keystore.type", "PEM").containsEntry("ssl.keystore.location", KEYSTORE);

        for (PlatformComponent component : PlatformComponent.values()) {
            assertThat(ComponentProperties.of(open.getSpec(), names, component)).as(component + " beside a cluster without client certificates")
                    .noneSatisfy((key, value) -> assertThat(key).contains("keystore"));
        }
    }

    @Test
    void thePodsMountTheUsersSecretAndRollWhenItsCertificateIsReissued() {
        PodTemplateSpec pod = template(identified, PlatformComponent.CONNECT, "CERT-1");
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("identity");
            assertThat(v.getSecret().getSecretName()).isEqualTo("payments-user-connect");
        });
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("identity");
            assertThat(m.getMountPath()).isEqualTo("/etc/kafka/identity");
            assertThat(m.getReadOnly()).isTrue();
        });

        String first = identity(template(identified, PlatformComponent.CONNECT, "CERT-1"));
        assertThat(first).isNotNull().isEqualTo(identity(template(identified, PlatformComponent.CONNECT, "CERT-1")));
        assertThat(identity(template(identified, PlatformComponent.CONNECT, "CERT-2"))).as("a re-issued certificate").isNotEqualTo(first);
        assertThat(identity(template(identified, PlatformComponent.CONNECT, null))).as("before the Secret exists").isNull();

        PodTemplateSpec openPod = template(open, PlatformComponent.CONNECT, "CERT-1");
        assertThat(openPod.getSpec().getVolumes()).noneSatisfy(v -> assertThat(v.getName()).isEqualTo("identity"));
        assertThat(identity(openPod)).isNull();
    }

    @Test
    void theDesiredClusterGivesEachComponentItsOwnUsersCertificate() {
        DesiredCluster desired = DesiredCluster.of(identified, settings,
                new DesiredCluster.Inputs(3, Map.of(), 0, null, Map.of("connect", "CERT-C", "ksqldb", "CERT-K"), Map.of(), null));
        assertThat(identity(statefulSet(desired, "payments-connect"))).isEqualTo(KafkaProperties.hash("CERT-C"));
        assertThat(identity(statefulSet(desired, "payments-ksqldb"))).isEqualTo(KafkaProperties.hash("CERT-K"));
        assertThat(identity(statefulSet(desired, "payments-schema-registry"))).as("not issued yet").isNull();
    }

    private static ClusterState withEveryComponent(ClusterState state) {
        ClusterState s = state;
        for (PlatformComponent component : PlatformComponent.values()) {
            s = TestStates.withComponent(s, component.componentName(), 1, Map.of());
        }
        return s;
    }

    private PodTemplateSpec template(ClusterState state, PlatformComponent component, String certificate) {
        return ComponentStatefulSets.build(state.getSpec(), names, component, settings, null, certificate, java.util.Set.of(), null).getSpec().getTemplate();
    }

    private static PodTemplateSpec statefulSet(DesiredCluster desired, String name) {
        HasMetadata found = desired.objects().stream().filter(o -> o instanceof StatefulSet && o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
        return ((StatefulSet) found).getSpec().getTemplate();
    }

    private static String identity(PodTemplateSpec pod) {
        return pod.getMetadata().getAnnotations().get(ComponentPodTemplate.IDENTITY_ANNOTATION);
    }
}
