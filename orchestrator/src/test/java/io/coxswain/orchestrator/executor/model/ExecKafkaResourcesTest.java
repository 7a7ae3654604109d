package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterResources;
import io.coxswain.avro.command.RoleResources;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A cluster's own sizing of its controllers and brokers in their pod templates, over the installation's defaults. */
class ExecKafkaResourcesTest {

    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState plain = TestStates.created("payments", 3, 3);

    private PodTemplateSpec template(ClusterState s, KafkaRole role) {
        return KafkaStatefulSets.build(s.getSpec(), names, role, 3, settings).getSpec().getTemplate();
    }

    private static Container kafka(PodTemplateSpec t) {
        return t.getSpec().getContainers().get(0);
    }

    private static String heapOpts(Container c) {
        return c.getEnv().stream().filter(e -> e.getName().equals("KAFKA_HEAP_OPTS")).map(EnvVar::getValue).findFirst().orElseThrow();
    }

    @Test
    void aClusterWithoutResourcesGetsTheObjectsItGotBeforeSizingExisted() {
        // the hashes of the whole StatefulSets as built before per-cluster resources (commit 0a6cb35): not one byte moved
        assertThat(hash(KafkaStatefulSets.build(plain.getSpec(), names, KafkaRole.BROKER, 3, settings))).isEqualTo("5e30a8c600927482");
        assertThat(hash(KafkaStatefulSets.build(plain.getSpec(), names, KafkaRole.CONTROLLER, 3, settings))).isEqualTo("4f65c6c6329b57f4");
        assertThat(template(plain, KafkaRole.BROKER).getMetadata().getAnnotations()).doesNotContainKey(ClusterNames.RESOURCES_ANNOTATION);
        assertThat(heapOpts(kafka(template(plain, KafkaRole.BROKER)))).isEqualTo("-Xms1g -Xmx1g");
    }

    @Test
    void theClustersSizingLandsInTheContainerAndTheHeapOptions() {
        ClusterState sized = TestStates.created("payments", TestStates.create(3, 3)
                .setResources(new ClusterResources(null, new RoleResources("2", "4", "8Gi", "6g"))).build());
        Container broker = kafka(template(sized, KafkaRole.BROKER));
        assertThat(broker.getResources().getRequests()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("8Gi"));
        assertThat(broker.getResources().getLimits()).as("memory request = limit").containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("8Gi"));
        assertThat(heapOpts(broker)).isEqualTo("-Xms6g -Xmx6g");
        assertThat(template(sized, KafkaRole.BROKER).getMetadata().getAnnotations())
                .containsEntry(ClusterNames.RESOURCES_ANNOTATION, "cpu=2,cpu-limit=4,memory=8Gi,heap=6g")
                .as("a new sizing is no new Kafka configuration").containsEntry(ClusterNames.CONFIG_HASH_ANNOTATION,
                        template(plain, KafkaRole.BROKER).getMetadata().getAnnotations().get(ClusterNames.CONFIG_HASH_ANNOTATION));

        assertThat(Serialization.asJson(template(sized, KafkaRole.CONTROLLER))).as("the controllers keep the defaults")
                .isEqualTo(Serialization.asJson(template(plain, KafkaRole.CONTROLLER)));
    }

    @Test
    void valuesTheClusterLeavesOutComeFromTheDefaults() {
        ClusterState cpuOnly = TestStates.created("payments", TestStates.create(3, 3)
                .setResources(new ClusterResources(new RoleResources("1", null, null, null), null)).build());
        Container controller = kafka(template(cpuOnly, KafkaRole.CONTROLLER));
        assertThat(controller.getResources().getRequests()).containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("1Gi"));
        assertThat(controller.getResources().getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("1Gi"));
        assertThat(heapOpts(controller)).isEqualTo("-Xms512m -Xmx512m");
        assertThat(template(cpuOnly, KafkaRole.CONTROLLER).getMetadata().getAnnotations()).containsEntry(ClusterNames.RESOURCES_ANNOTATION, "cpu=1");
    }

    @Test
    void quantitiesAreWrittenAsTheApiServerWritesThemBack() {
        // else the StatefulSet read back ("1500m") would differ from the one built ("1.5") on every pass
        ClusterState sized = TestStates.created("payments", TestStates.create(3, 3)
                .setResources(new ClusterResources(null, new RoleResources("1.5", "2000m", "2048Mi", "1536m"))).build());
        Container broker = kafka(template(sized, KafkaRole.BROKER));
        assertThat(broker.getResources().getRequests().get("cpu")).hasToString("1500m");
        assertThat(broker.getResources().getLimits().get("cpu")).hasToString("2");
        assertThat(broker.getResources().getLimits().get("memory")).hasToString("2Gi");
        assertThat(KafkaResources.canonicalMemory("1536Mi")).isEqualTo("1536Mi");
        assertThat(KafkaResources.canonicalMemory("1024Gi")).isEqualTo("1Ti");
        assertThat(KafkaResources.canonicalCpu("0.25")).isEqualTo("250m");
        assertThat(heapOpts(broker)).isEqualTo("-Xms1536m -Xmx1536m");
    }

    @Test
    void anUpdateChangesTheTemplateOfItsRoleOnly() {
        ClusterState updated = Evolve.apply(plain, Commands.on("payments").issuer("alice").updateResources("brokers", null, null, "4Gi", "3g"));
        assertThat(kafka(template(updated, KafkaRole.BROKER)).getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(heapOpts(kafka(template(updated, KafkaRole.BROKER)))).isEqualTo("-Xms3g -Xmx3g");
        assertThat(template(updated, KafkaRole.BROKER).getMetadata().getAnnotations()).containsEntry(ClusterNames.RESOURCES_ANNOTATION, "memory=4Gi,heap=3g");
        assertThat(template(updated, KafkaRole.CONTROLLER)).isEqualTo(template(plain, KafkaRole.CONTROLLER));
    }

    private static String hash(Object o) {
        return KafkaProperties.hash(Serialization.asJson(o));
    }
}
