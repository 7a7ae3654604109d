package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ImageMirrors;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.KafkaStatefulSets;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An installation that starts pulling from a mirror, or moves to another, changes every Kafka pod's image
 * reference but not what it runs: no pod is rolled for it. A new Kafka version still is. Against fabric8's
 * mock API server in CRUD mode, with the StatefulSets the model builds and pods made from their templates.
 */
@EnableKubernetesMockClient(crud = true)
class MirroredImagesTest {

    KubernetesClient client;
    private final ClusterNames names = ClusterNames.of("pay", "{cluster}");
    private final ClusterState state = TestStates.created("pay", 1, 1);
    private final ModelSettings mirrored = ModelSettings.defaults()
            .withImageMirrors(ImageMirrors.parse(List.of("docker.io=registry.corp.example/hub")));

    @Test
    void podsFromBeforeTheMirrorOrFromAnotherMirrorAreNotOutdatedForIt() {
        podsMadeWith(ModelSettings.defaults(), state); // before the installation used a mirror
        statefulSets(mirrored, state);
        assertThat(ClusterPods.read(client, names).anyImageChanged()).as("pods from before the mirror").isFalse();
        assertThat(client.apps().statefulSets().inNamespace("pay").withName(names.statefulSet(KafkaRole.BROKER)).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("the pods made from now on pull from the mirror").startsWith("registry.corp.example/hub/apache/kafka:");

        podsMadeWith(mirrored, state);
        statefulSets(ModelSettings.defaults().withImageMirrors(ImageMirrors.parse(List.of("docker.io=other.example/dh"))), state);
        assertThat(ClusterPods.read(client, names).anyImageChanged()).as("pods from another mirror").isFalse();

        statefulSets(ModelSettings.defaults(), state);
        assertThat(ClusterPods.read(client, names).anyImageChanged()).as("the mirror dropped").isFalse();
    }

    @Test
    void aNewKafkaVersionStillRollsPodsWhateverMirrorTheyCameFrom() {
        podsMadeWith(mirrored, state);
        ClusterState upgraded = TestStates.created("pay", TestStates.create(1, 1).setKafkaVersion("4.3.1").build());
        assertThat(upgraded.getSpec().getKafkaVersion()).isNotEqualTo(state.getSpec().getKafkaVersion());
        statefulSets(mirrored, upgraded);
        assertThat(ClusterPods.read(client, names).anyImageChanged()).isTrue();

        podsMadeWith(ModelSettings.defaults(), state);
        assertThat(ClusterPods.read(client, names).anyImageChanged()).as("pods from before the mirror, on the old version").isTrue();
    }

    private void statefulSets(ModelSettings settings, ClusterState s) {
        for (KafkaRole role : KafkaRole.values()) {
            StatefulSet sts = KafkaStatefulSets.build(s.getSpec(), names, role, 1, settings);
            client.apps().statefulSets().inNamespace("pay").resource(sts).createOr(existing -> existing.update());
        }
    }

    /** The pods a StatefulSet built with {@code settings} for {@code s} makes: its template's annotations and containers. */
    private void podsMadeWith(ModelSettings settings, ClusterState s) {
        for (KafkaRole role : KafkaRole.values()) {
            PodTemplateSpec template = KafkaStatefulSets.build(s.getSpec(), names, role, 1, settings).getSpec().getTemplate();
            Map<String, String> annotations = new HashMap<>(template.getMetadata().getAnnotations());
            Pod pod = new PodBuilder().withNewMetadata().withName(names.pod(role, 0)).withNamespace("pay").withAnnotations(annotations)
                    .endMetadata().withSpec(template.getSpec()).build();
            client.pods().inNamespace("pay").resource(pod).createOr(existing -> existing.update());
        }
    }
}
