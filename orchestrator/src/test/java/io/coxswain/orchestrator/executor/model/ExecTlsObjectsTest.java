package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** TLS in the pure builders: every listener SSL, key material only by reference, the Secrets mounted. */
class ExecTlsObjectsTest {

    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState state = TestStates.created("payments", 3, 3);

    @Test
    void brokersSpeakSslEverywhereWithMutualTlsBetweenNodes() {
        Properties broker = parse(KafkaProperties.forNode(state.getSpec(), names, KafkaRole.BROKER, 1, 3, Optional.empty()));
        assertThat(broker.getProperty("listener.security.protocol.map")).isEqualTo("CONTROLLER:SSL,REPLICATION:SSL,CLIENTS:SSL,EXTERNAL:SSL");
        for (String nodeListener : new String[] {"controller", "replication"}) {
            assertThat(broker.getProperty("listener.name." + nodeListener + ".ssl.client.auth")).isEqualTo("required");
            // a per-cluster CA signs only this cluster's nodes: chaining to it is the identity check
            assertThat(broker.getProperty("listener.name." + nodeListener + ".ssl.endpoint.identification.algorithm")).isEmpty();
        }
        for (String clientListener : new String[] {"clients", "external"}) {
            assertThat(broker.getProperty("listener.name." + clientListener + ".ssl.client.auth")).isEqualTo("none");
            assertThat(broker.getProperty("listener.name." + clientListener + ".ssl.endpoint.identification.algorithm")).isNull();
        }
        assertThat(broker.getProperty("ssl.keystore.type")).isEqualTo("PEM");
        assertThat(broker.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(broker.getProperty("ssl.keystore.key")).isEqualTo("${dir:/etc/kafka/tls:payments-broker-1.key}");
        assertThat(broker.getProperty("ssl.keystore.certificate.chain")).isEqualTo("${dir:/etc/kafka/tls:payments-broker-1.crt}");
        assertThat(broker.getProperty("ssl.truststore.certificates")).isEqualTo("${dir:/etc/kafka/tls:ca.crt}");
        assertThat(broker.getProperty("config.providers")).isEqualTo("dir");
        assertThat(broker.getProperty("config.providers.dir.class")).isEqualTo("org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        assertThat(broker.getProperty("config.providers.dir.param.allowed.paths")).isEqualTo("/etc/kafka/tls");

        Properties controller = parse(KafkaProperties.forNode(state.getSpec(), names, KafkaRole.CONTROLLER, 0, 3, Optional.empty()));
        assertThat(controller.getProperty("listener.security.protocol.map")).isEqualTo("CONTROLLER:SSL");
        assertThat(controller.getProperty("listener.name.controller.ssl.client.auth")).isEqualTo("required");
        assertThat(controller.getProperty("ssl.keystore.key")).isEqualTo("${dir:/etc/kafka/tls:payments-controller-0.key}");
    }

    @Test
    void aUsersBrokerConfigCannotTurnTlsOffButMayTuneIt() {
        ClusterState tuned = TestStates.created("payments", TestStates.create(3, 3)
                .setBrokerConfig(Map.of("ssl.truststore.type", "JKS", "listener.name.clients.ssl.client.auth", "required",
                        "ssl.enabled.protocols", "TLSv1.3")).build());
        Properties broker = parse(KafkaProperties.forNode(tuned.getSpec(), names, KafkaRole.BROKER, 0, 3, Optional.empty()));
        assertThat(broker.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(broker.getProperty("listener.name.clients.ssl.client.auth")).isEqualTo("none");
        assertThat(broker.getProperty("ssl.enabled.protocols")).isEqualTo("TLSv1.3");
    }

    @Test
    void noConfigMapHoldsAKeyOrACertificate() {
        ClusterState withAll = TestStates.withComponent(TestStates.withComponent(TestStates.withComponent(TestStates.withComponent(
                state, "schema-registry", 1, Map.of()), "connect", 1, Map.of()), "rest-proxy", 1, Map.of()), "ksqldb", 1, Map.of());
        DesiredCluster desired = DesiredCluster.of(withAll, settings, new DesiredCluster.Inputs(3, Map.of(), 0, null, Map.of(), Map.of(), null));
        assertThat(desired.objects()).filteredOn(ConfigMap.class::isInstance).hasSizeGreaterThan(4).allSatisfy(o -> {
            String text = String.join("\n", ((ConfigMap) o).getData().values());
            assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
        });
    }

    @Test
    void kafkaPodsMountTheNodeSecretReadOnlyAndAllowOnlyTheDirectoryProvider() {
        for (KafkaRole role : KafkaRole.values()) {
            PodSpec pod = KafkaStatefulSets.build(state.getSpec(), names, role, 3, settings).getSpec().getTemplate().getSpec();
            Volume tls = pod.getVolumes().stream().filter(v -> v.getName().equals(KafkaPodTemplate.TLS_VOLUME)).findFirst().orElseThrow();
            assertThat(tls.getSecret().getSecretName()).isEqualTo("payments-kafka-tls");
            assertThat(tls.getSecret().getDefaultMode()).isEqualTo(0440);
            Container kafka = pod.getContainers().get(0);
            VolumeMount mount = kafka.getVolumeMounts().stream().filter(m -> m.getName().equals(KafkaPodTemplate.TLS_VOLUME)).findFirst().orElseThrow();
            assertThat(mount.getMountPath()).isEqualTo("/etc/kafka/tls");
            assertThat(mount.getReadOnly()).isTrue();
            assertThat(kafka.getEnv()).filteredOn(e -> e.getName().equals("KAFKA_OPTS")).extracting(EnvVar::getValue).singleElement()
                    .asString().contains("-Dorg.apache.kafka.automatic.config.providers=org.apache.kafka.common.config.provider.DirectoryConfigProvider");
            // the CA's own key is mounted nowhere
            assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("payments-cluster-ca"));
        }
    }

    @Test
    void aCertificateRenewalChangesTheConfigHashSoThePodsRoll() {
        String none = hash(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings, 0));
        assertThat(none).isEqualTo(KafkaProperties.configHash(state.getSpec(), names, KafkaRole.BROKER));
        String once = hash(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings, 1));
        String twice = hash(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings, 2));
        assertThat(once).isNotEqualTo(none);
        assertThat(twice).isNotEqualTo(once);
        // and the pods say which renewal they started with: a CA renewal waits for all of them
        assertThat(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.CONTROLLER, 3, settings, 2).getSpec().getTemplate()
                .getMetadata().getAnnotations()).containsEntry(ClusterNames.CERTIFICATE_RENEWALS_ANNOTATION, "2");
        assertThat(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings, 0).getSpec().getTemplate()
                .getMetadata().getAnnotations()).doesNotContainKey(ClusterNames.CERTIFICATE_RENEWALS_ANNOTATION);
    }

    @Test
    void platformComponentsReachTheBrokersOverTlsTrustingTheClusterCa() {
        String ca = "/etc/kafka/cluster-ca/ca.crt";
        Map<String, String> registry = ComponentProperties.managed(state.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.SCHEMA_REGISTRY);
        assertThat(registry).containsEntry("kafkastore.bootstrap.servers", "SSL://payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("kafkastore.security.protocol", "SSL").containsEntry("kafkastore.ssl.truststore.type", "PEM")
                .containsEntry("kafkastore.ssl.truststore.location", ca);
        Map<String, String> rest = ComponentProperties.managed(state.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.REST_PROXY);
        assertThat(rest).containsEntry("bootstrap.servers", "SSL://payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("client.security.protocol", "SSL").containsEntry("client.ssl.truststore.location", ca);
        Map<String, String> connect = ComponentProperties.managed(state.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.CONNECT);
        for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
            assertThat(connect).containsEntry(prefix + "security.protocol", "SSL").containsEntry(prefix + "ssl.truststore.type", "PEM")
                    .containsEntry(prefix + "ssl.truststore.location", ca);
        }
        Map<String, String> ksql = ComponentProperties.managed(state.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.KSQLDB);
        assertThat(ksql).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.location", ca);

        ClusterState withRegistry = TestStates.withComponent(state, "schema-registry", 1, Map.of("kafkastore.security.protocol", "PLAINTEXT"));
        assertThat(ComponentProperties.of(withRegistry.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.SCHEMA_REGISTRY))
                .as("a user's config cannot turn TLS off").containsEntry("kafkastore.security.protocol", "SSL");
        PodSpec pod = ComponentStatefulSets.build(withRegistry.getSpec(), names, io.coxswain.commands.shape.PlatformComponent.SCHEMA_REGISTRY,
                settings).getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("payments-cluster-ca-cert"));
        assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null && !v.getSecret().getSecretName().equals("payments-cluster-ca-cert"));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/kafka/cluster-ca") && m.getReadOnly());
    }

    private static String hash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(ClusterNames.CONFIG_HASH_ANNOTATION);
    }

    private static Properties parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
