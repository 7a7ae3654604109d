package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The Kubernetes objects of the platform components beside a cluster, object by object. */
class ExecComponentObjectsTest {

    private static final PlatformComponent SR = PlatformComponent.SCHEMA_REGISTRY;
    private static final PlatformComponent CONNECT = PlatformComponent.CONNECT;

    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState kafkaOnly = TestStates.created("payments", 3, 3);
    private final ClusterState state = TestStates.withComponent(
            TestStates.withComponent(kafkaOnly, "schema-registry", 2, Map.of("schema.compatibility.level", "full")),
            "connect", 1, Map.of("value.converter", "io.confluent.connect.avro.AvroConverter", "offset.flush.interval.ms", "5000"));

    @Test
    void desiredClusterAddsEachComponentsObjectsAfterTheKafkaOnes() {
        DesiredCluster desired = DesiredCluster.of(state, settings, DesiredCluster.Inputs.of(state));
        int kafkaObjects = DesiredCluster.of(kafkaOnly, settings, DesiredCluster.Inputs.of(kafkaOnly)).objects().size();
        assertThat(desired.objects().subList(kafkaObjects, desired.objects().size()))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                        "ConfigMap/payments-schema-registry-config", "Service/payments-schema-registry-headless",
                        "Service/payments-schema-registry", "PodDisruptionBudget/payments-schema-registry", "StatefulSet/payments-schema-registry",
                        "ConfigMap/payments-connect-config", "Service/payments-connect-headless",
                        "Service/payments-connect", "PodDisruptionBudget/payments-connect", "StatefulSet/payments-connect");
        assertThat(desired.objects()).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsAllEntriesOf(names.clusterSelector()).containsKey(ClusterNames.COMPONENT_LABEL));
        assertThat(DesiredCluster.of(state, settings, DesiredCluster.Inputs.of(state))).as("same state, same objects").isEqualTo(desired);
    }

    @Test
    void statefulSetRunsTheImageTagWithTheComponentsStartScriptAndRollsItself() {
        StatefulSet sts = ComponentStatefulSets.build(state.getSpec(), names, SR, settings);
        assertThat(sts.getMetadata().getName()).isEqualTo("payments-schema-registry");
        assertThat(sts.getMetadata().getLabels()).isEqualTo(names.labels("schema-registry"));
        assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("payments-schema-registry-headless");
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).isEqualTo(names.selector("schema-registry"));
        assertThat(sts.getSpec().getVolumeClaimTemplates()).isEmpty();

        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(names.labels("schema-registry"));
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
        Container c = pod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo("schema-registry");
        assertThat(c.getImage()).isEqualTo("confluentinc/cp-schema-registry:8.0.0");
        assertThat(c.getCommand()).hasSize(3).startsWith("sh", "-c");
        assertThat(c.getCommand().get(2))
                .contains("cp /etc/coxswain/schema-registry.properties \"$props\"")
                .contains("echo \"host.name=${HOSTNAME}.payments-schema-registry-headless.payments.svc\" >> \"$props\"")
                .endsWith("exec schema-registry-start \"$props\"");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8081);
        });
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getEnv()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("SCHEMA_REGISTRY_HEAP_OPTS"));
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/etc/coxswain", "/etc/kafka/cluster-ca");
        assertThat(pod.getVolumes()).first()
                .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("payments-schema-registry-config"));
        assertThat(pod.getVolumes()).hasSize(2).last()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("payments-cluster-ca-cert"));
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(ClusterNames.CONFIG_HASH_ANNOTATION, ComponentProperties.configHash(state.getSpec(), names, SR));

        Container ksql = ComponentStatefulSets.build(TestStates.withComponent(state, "ksqldb", 1, Map.of()).getSpec(), names,
                PlatformComponent.KSQLDB, settings).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(ksql.getCommand().get(2))
                .contains("echo \"ksql.advertised.listener=http://${HOSTNAME}.payments-ksqldb-headless.payments.svc:8088\"")
                .endsWith("exec ksql-server-start \"$props\"");
        assertThat(ksql.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthcheck");
    }

    @Test
    void servicesServeThePortClientsUseAndPublishPodNames() {
        Service client = ComponentServices.client(names, CONNECT);
        assertThat(client.getMetadata().getName()).isEqualTo("payments-connect");
        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(client.getSpec().getSelector()).isEqualTo(names.selector("connect"));
        assertThat(client.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8083);
        });
        Service headless = ComponentServices.headless(names, CONNECT);
        assertThat(headless.getMetadata().getName()).isEqualTo("payments-connect-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getSelector()).isEqualTo(names.selector("connect"));
        assertThat(ComponentServices.client(names, SR).getSpec().getPorts().get(0).getPort()).isEqualTo(8081);
        assertThat(ComponentServices.client(names, PlatformComponent.REST_PROXY).getSpec().getPorts().get(0).getPort()).isEqualTo(8082);
        assertThat(ComponentServices.client(names, PlatformComponent.KSQLDB).getSpec().getPorts().get(0).getPort()).isEqualTo(8088);
    }

    @Test
    void disruptionBudgetAllowsOnePodDown() {
        PodDisruptionBudget pdb = KafkaDisruptionBudgets.build(names, SR);
        assertThat(pdb.getMetadata().getName()).isEqualTo("payments-schema-registry");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(names.selector("schema-registry"));
    }

    @Test
    void schemaRegistryPropertiesWireTheClusterAndKeepTheUsersConfig() {
        ConfigMap cm = ComponentConfigMaps.build(state.getSpec(), names, SR);
        assertThat(cm.getMetadata().getName()).isEqualTo("payments-schema-registry-config");
        assertThat(cm.getData()).containsOnlyKeys("schema-registry.properties");
        assertThat(properties(cm, SR)).containsEntry("kafkastore.bootstrap.servers", "SSL://payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("listeners", "http://0.0.0.0:8081")
                .containsEntry("schema.compatibility.level", "full")
                .doesNotContainKey("host.name"); // appended by each pod at start
    }

    @Test
    void connectPropertiesSetTheGroupTheStorageTopicsAndDefaultsTheUserMayReplace() {
        Map<Object, Object> p = properties(ComponentConfigMaps.build(state.getSpec(), names, CONNECT), CONNECT);
        assertThat(p).containsEntry("bootstrap.servers", "payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("listeners", "http://0.0.0.0:8083")
                .containsEntry("group.id", "payments-connect")
                .containsEntry("config.storage.topic", "_payments-connect-configs")
                .containsEntry("offset.storage.topic", "_payments-connect-offsets")
                .containsEntry("status.storage.topic", "_payments-connect-status")
                .containsEntry("config.storage.replication.factor", "-1")
                .containsEntry("offset.storage.replication.factor", "-1")
                .containsEntry("status.storage.replication.factor", "-1")
                .containsEntry("key.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("value.converter", "io.confluent.connect.avro.AvroConverter") // the user's, over the default
                .containsEntry("offset.flush.interval.ms", "5000");
    }

    @Test
    void managedKeysInAnOldLogsConfigAreIgnored() {
        ClusterState old = TestStates.withComponent(kafkaOnly, "connect", 1, Map.of("group.id", "hijack", "bootstrap.servers", "elsewhere:9092"));
        assertThat(properties(ComponentConfigMaps.build(old.getSpec(), names, CONNECT), CONNECT))
                .containsEntry("group.id", "payments-connect")
                .containsEntry("bootstrap.servers", "payments-kafka-bootstrap.payments.svc:9092");
    }

    @Test
    void restProxyAndKsqlDbUseTheClustersSchemaRegistryOnlyWhenItRuns() {
        ClusterState withSr = TestStates.withComponent(TestStates.withComponent(state, "rest-proxy", 1, Map.of()), "ksqldb", 1, Map.of());
        assertThat(properties(ComponentConfigMaps.build(withSr.getSpec(), names, PlatformComponent.REST_PROXY), PlatformComponent.REST_PROXY))
                .containsEntry("bootstrap.servers", "SSL://payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("listeners", "http://0.0.0.0:8082")
                .containsEntry("schema.registry.url", "http://payments-schema-registry.payments.svc:8081");
        assertThat(properties(ComponentConfigMaps.build(withSr.getSpec(), names, PlatformComponent.KSQLDB), PlatformComponent.KSQLDB))
                .containsEntry("bootstrap.servers", "payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("listeners", "http://0.0.0.0:8088")
                .containsEntry("ksql.service.id", "payments_ksqldb_")
                .containsEntry("ksql.schema.registry.url", "http://payments-schema-registry.payments.svc:8081")
                // not ksqlDB's default of 1: a broker's loss must not lose the command topic or a query's state
                .containsEntry("ksql.internal.topic.replicas", "3")
                .containsEntry("ksql.internal.topic.min.insync.replicas", "2")
                .containsEntry("ksql.streams.replication.factor", "3")
                .containsEntry("ksql.streams.topic.min.insync.replicas", "2");

        ClusterState noSr = TestStates.withComponent(kafkaOnly, "rest-proxy", 1, Map.of());
        assertThat(properties(ComponentConfigMaps.build(noSr.getSpec(), names, PlatformComponent.REST_PROXY), PlatformComponent.REST_PROXY))
                .doesNotContainKey("schema.registry.url");
    }

    @Test
    void aConfigOrImageChangeChangesTheConfigHashAReplicaChangeDoesNot() {
        String hash = podHash(state, SR);
        assertThat(podHash(TestStates.withComponent(state, "schema-registry", 2, Map.of("schema.compatibility.level", "none")), SR))
                .isNotEqualTo(hash);
        assertThat(podHash(TestStates.withComponent(state, "schema-registry", 3, Map.of("schema.compatibility.level", "full")), SR))
                .isEqualTo(hash);
        ClusterState newVersion = TestStates.withComponent(state, "schema-registry", 2, Map.of("schema.compatibility.level", "full"));
        newVersion.getSpec().getComponents().get("schema-registry").setVersion("8.0.1");
        assertThat(podHash(newVersion, SR)).isNotEqualTo(hash);
        assertThat(podHash(state, CONNECT)).as("adding the registry changes nothing for Connect")
                .isEqualTo(podHash(TestStates.withoutComponent(state, "schema-registry"), CONNECT));
    }

    private String podHash(ClusterState s, PlatformComponent component) {
        return ComponentStatefulSets.build(s.getSpec(), names, component, settings).getSpec().getTemplate().getMetadata()
                .getAnnotations().get(ClusterNames.CONFIG_HASH_ANNOTATION);
    }

    private static Map<Object, Object> properties(ConfigMap cm, PlatformComponent component) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(cm.getData().get(ComponentConfigMaps.propertiesKey(component))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
