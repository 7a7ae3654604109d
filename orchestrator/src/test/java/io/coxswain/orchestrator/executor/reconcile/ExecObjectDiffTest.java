package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
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
    void patchTestsTheResourceVersionAndTouchesOnlyDifferingOwnedFields() {
        ConfigMap desired = ObjectDiff.stamped(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("n")
                .withLabels(Map.of("a", "b")).endMetadata().withData(Map.of("k", "v", "same", "1")).build());
        ConfigMap live = new ConfigMapBuilder(desired).editMetadata().withResourceVersion("42").withUid("u-1")
                .addToAnnotations("others/x", "y").endMetadata().withData(Map.of("k", "old", "same", "1", "theirs", "z")).build();
        assertThat(ObjectDiff.jsonPatch(desired, live)).isEqualTo(
                "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"},"
                        + "{\"op\":\"add\",\"path\":\"/data/k\",\"value\":\"v\"}]");
        ConfigMap unstamped = new ConfigMapBuilder(live).editMetadata().withAnnotations(Map.of()).endMetadata().build();
        assertThat(ObjectDiff.jsonPatch(desired, unstamped)).contains("\"path\":\"/metadata/annotations/coxswain.io~1desired-hash\"");
    }

    private static Service service(String type) {
        return new ServiceBuilder().withNewMetadata().withName("s").withNamespace("n").withLabels(Map.of("app", "x")).endMetadata()
                .withNewSpec().withType(type).addNewPort().withPort(9092).withName("clients").endPort().endSpec().build();
    }
}
