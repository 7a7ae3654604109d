package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's labels on the objects built from its state: everywhere a platform team selects by, never where they would break. */
class ExecObjectLabelsTest {

    private static final ModelSettings SETTINGS = ModelSettings.defaults();

    private static DesiredCluster desired(Map<String, String> labels) {
        ClusterState state = TestStates.created("payments", TestStates.create(3, 3).setLabels(labels)
                .setExternalAccess(io.coxswain.avro.command.ExternalAccess.LOAD_BALANCER).build());
        return DesiredCluster.of(state, SETTINGS, DesiredCluster.Inputs.of(state));
    }

    @Test
    void everyObjectAndThePodsTemplateCarryThemButNotTheClaimTemplateNorTheSelectors() {
        DesiredCluster desired = desired(Map.of("team", "payments", "env", "prod"));
        assertThat(desired.objects()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.getMetadata().getLabels()).containsEntry("team", "payments").containsEntry("env", "prod")
                    .containsEntry("app.kubernetes.io/instance", "payments");
            assertThat(o.getMetadata().getAnnotations()).containsEntry(ObjectLabels.APPLIED_ANNOTATION, "env,team");
        });
        assertThat(desired.namespace().getMetadata().getLabels()).containsEntry("team", "payments");
        StatefulSet brokers = (StatefulSet) desired.objects().stream().filter(o -> o.getMetadata().getName().equals("payments-broker")
                && o instanceof StatefulSet).findFirst().orElseThrow();
        assertThat(brokers.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(brokers.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
        assertThat(brokers.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getLabels())
                .as("immutable in a StatefulSet: a label change would be refused").doesNotContainKey("team");
        assertThat(desired.objects()).filteredOn(o -> o instanceof Service).allSatisfy(s ->
                assertThat(((Service) s).getSpec().getSelector()).as("Services select pods by Coxswain's labels only").doesNotContainKey("team"));
        assertThat(DesiredCluster.externalServices(TestStates.created("payments", TestStates.create(3, 3).setLabels(Map.of("team", "payments"))
                .setExternalAccess(io.coxswain.avro.command.ExternalAccess.LOAD_BALANCER).build()).getSpec(), desired.names(), 3))
                .hasSize(3).allSatisfy(s -> assertThat(s.getMetadata().getLabels()).containsEntry("team", "payments"));
    }

    @Test
    void theKeysACommandMayNotUseAreTheLabelsCoxswainSets() {
        assertThat(ClusterLabels.SET_BY_COXSWAIN).containsExactlyInAnyOrderElementsOf(ClusterNames.of("p", "{cluster}").labels("broker").keySet());
    }

    @Test
    void coxswainsOwnLabelsWinAndAClusterWithoutLabelsGetsObjectsAsBefore() {
        assertThat(ObjectLabels.merged(Map.of("app.kubernetes.io/instance", "payments"), Map.of("app.kubernetes.io/instance", "x", "team", "t")))
                .containsEntry("app.kubernetes.io/instance", "payments").containsEntry("team", "t");
        assertThat(desired(Map.of()).objects()).allSatisfy((HasMetadata o) -> {
            assertThat(o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations())
                    .doesNotContainKey(ObjectLabels.APPLIED_ANNOTATION);
            assertThat(o.getMetadata().getLabels().keySet()).allMatch(k -> k.startsWith("app.kubernetes.io/") || k.startsWith("coxswain.io/"));
        });
    }
}
