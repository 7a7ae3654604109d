package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecObjectDiffTest {

    @Test
    void serverDefaultsAndOthersAnnotationsAreNotDifferences() {
        Service desired = ObjectDiff.stamped(service("ClusterIP"));
        Service live = new ServiceBuilder(desired).editMetadata().withResourceVersion("7").addToAnnotations("others/thing", "x").endMetadata()
                .editSpec().withClusterIP("10.0.0.7").withSessionAffinity("None").endSpec().withNewStatus().endStatus().build();
        assertThat(ObjectDiff.compare(ObjectDiff.stamped(service("ClusterIP")), live).kind()).isEqualTo(ObjectDiff.Kind.NONE);
    }

    @Test
    void anEditOfAnOwnedFieldIsDriftAndAChangedDesireIsAnUpdate() {
        Service live = new ServiceBuilder(ObjectDiff.stamped(service("ClusterIP"))).editSpec().withType("NodePort").endSpec().build();
        ObjectDiff.Difference edited = ObjectDiff.compare(ObjectDiff.stamped(service("ClusterIP")), live);
        assertThat(edited.kind()).isEqualTo(ObjectDiff.Kind.EDITED);
        assertThat(edited.detail()).isEqualTo("spec.type: live \"NodePort\", desired \"ClusterIP\"");
        ObjectDiff.Difference changed = ObjectDiff.compare(ObjectDiff.stamped(service("LoadBalancer")), ObjectDiff.stamped(service("ClusterIP")));
        assertThat(changed.kind()).isEqualTo(ObjectDiff.Kind.DESIRED_CHANGED);
        assertThat(ObjectDiff.compare(ObjectDiff.stamped(service("ClusterIP")), null).kind()).isEqualTo(ObjectDiff.Kind.MISSING);
    }

    @Test
    void mergePatchCarriesOnlyOwnedFieldsAndTheResourceVersion() {
        ConfigMap desired = ObjectDiff.stamped(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("n")
                .withLabels(Map.of("a", "b")).endMetadata().withData(Map.of("k", "v")).build());
        ConfigMap live = new ConfigMapBuilder(desired).editMetadata().withResourceVersion("42").withUid("u-1").endMetadata().build();
        @SuppressWarnings("unchecked")
        Map<String, Object> patch = Serialization.unmarshal(ObjectDiff.mergePatch(desired, live), Map.class);
        assertThat(patch).containsOnlyKeys("metadata", "data");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) patch.get("metadata");
        assertThat(metadata).containsOnlyKeys("labels", "annotations", "resourceVersion")
                .containsEntry("resourceVersion", "42");
    }

    private static Service service(String type) {
        return new ServiceBuilder().withNewMetadata().withName("s").withNamespace("n").withLabels(Map.of("app", "x")).endMetadata()
                .withNewSpec().withType(type).addNewPort().withPort(9092).withName("clients").endPort().endSpec().build();
    }
}
