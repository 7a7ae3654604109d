package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.ObjectLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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

    @Test
    void aLabelTheClusterNoLongerHasIsADifferenceAndItsRemovalIsPatchedLeavingOthersLabels() {
        Service live = new ServiceBuilder(ObjectDiff.stamped(ObjectLabels.onBuilt(service("ClusterIP"), Map.of("team", "payments", "env", "prod"))))
                .editMetadata().withResourceVersion("9").addToLabels("example.com/scraped", "true").endMetadata().build();
        assertThat(ObjectDiff.compare(ObjectDiff.stamped(ObjectLabels.onBuilt(service("ClusterIP"), Map.of("team", "payments", "env", "prod"))), live)
                .kind()).as("others' labels are not a difference").isEqualTo(ObjectDiff.Kind.NONE);

        Service teamOnly = ObjectDiff.stamped(ObjectLabels.onBuilt(service("ClusterIP"), Map.of("team", "payments")));
        ObjectDiff.Difference envGone = ObjectDiff.compare(teamOnly, live);
        assertThat(envGone.kind()).isEqualTo(ObjectDiff.Kind.DESIRED_CHANGED);
        assertThat(envGone.detail()).isEqualTo("metadata.annotations.\"coxswain.io/cluster-labels\": live \"env,team\", desired \"team\"");
        assertThat(ObjectDiff.jsonPatch(teamOnly, live)).contains("{\"op\":\"remove\",\"path\":\"/metadata/labels/env\"}")
                .contains("\"path\":\"/metadata/annotations/coxswain.io~1cluster-labels\",\"value\":\"team\"")
                .doesNotContain("scraped").doesNotContain("/metadata/labels/team");

        Service none = ObjectDiff.stamped(service("ClusterIP"));
        assertThat(ObjectDiff.compare(none, live).kind()).as("the cluster has no labels left").isEqualTo(ObjectDiff.Kind.DESIRED_CHANGED);
        assertThat(ObjectDiff.jsonPatch(none, live)).contains("/metadata/labels/env", "/metadata/labels/team",
                "{\"op\":\"remove\",\"path\":\"/metadata/annotations/coxswain.io~1cluster-labels\"}");
    }

    @Test
    void objectsOthersMakeArePatchedToCarryExactlyTheClustersLabels() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p-0").withNamespace("n").withResourceVersion("3")
                .withLabels(Map.of("app.kubernetes.io/instance", "p", "example.com/scraped", "true")).endMetadata().build();
        String first = LabelPatch.forObject(pod, Map.of("team", "payments"));
        assertThat(first).isEqualTo("[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"3\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels/team\",\"value\":\"payments\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"coxswain.io/cluster-labels\":\"team\"}}]");
        Pod bare = new PodBuilder(pod).editMetadata().withLabels(null).endMetadata().build();
        assertThat(LabelPatch.forObject(bare, Map.of("team", "payments"))).as("no labels yet: the map is added whole")
                .contains("{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"team\":\"payments\"}}");
        Pod labelled = new PodBuilder(pod).editMetadata().addToLabels("team", "payments")
                .addToAnnotations(ObjectLabels.APPLIED_ANNOTATION, "team").endMetadata().build();
        assertThat(LabelPatch.forObject(labelled, Map.of("team", "payments"))).as("already so: nothing to write").isNull();
        assertThat(LabelPatch.forObject(labelled, Map.of())).contains("{\"op\":\"remove\",\"path\":\"/metadata/labels/team\"}")
                .doesNotContain("scraped").doesNotContain("instance");
        assertThat(LabelPatch.forObject(pod, Map.of())).as("nothing Coxswain put there, nothing to take away").isNull();
    }

    private static Service service(String type) {
        return new ServiceBuilder().withNewMetadata().withName("s").withNamespace("n").withLabels(Map.of("app", "x")).endMetadata()
                .withNewSpec().withType(type).addNewPort().withPort(9092).withName("clients").endPort().endSpec().build();
    }
}
