package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An installation that may pull only from its own registry rewrites the prefixes of every image
 * Coxswain puts in a pod; the state keeps the image as asked for.
 */
class ExecImageMirrorsTest {

    private final ImageMirrors mirrors = ImageMirrors.parse(List.of("docker.io=registry.corp.example/hub",
            "confluentinc=registry.corp.example/confluent", "quay.io/strimzi=registry.corp.example/strimzi"));

    @Test
    void imagesWithoutARegistryAreDockerHubsAndTheLongestPrefixWins() {
        assertThat(mirrors.apply("apache/kafka:4.1.0")).isEqualTo("registry.corp.example/hub/apache/kafka:4.1.0");
        assertThat(mirrors.apply("docker.io/apache/kafka:4.1.0")).isEqualTo("registry.corp.example/hub/apache/kafka:4.1.0");
        assertThat(mirrors.apply("busybox")).as("an official image").isEqualTo("registry.corp.example/hub/library/busybox");
        assertThat(mirrors.apply("confluentinc/cp-schema-registry:7.9.0")).as("the longer rule, not docker.io's")
                .isEqualTo("registry.corp.example/confluent/cp-schema-registry:7.9.0");
        assertThat(mirrors.apply("quay.io/strimzi/kafka@sha256:abc")).as("a digest is kept").isEqualTo("registry.corp.example/strimzi/kafka@sha256:abc");
        assertThat(mirrors.apply("quay.io/other/kafka:1")).as("no rule for it").isEqualTo("quay.io/other/kafka:1");
        assertThat(mirrors.apply("confluentincx/cp:1")).as("a prefix matches whole path segments only")
                .isEqualTo("registry.corp.example/hub/confluentincx/cp:1");
        assertThat(ImageMirrors.NONE.apply("apache/kafka:4.1.0")).isEqualTo("apache/kafka:4.1.0");
    }

    @Test
    void aRuleThatIsNotTwoPrefixesIsRefusedNamingIt() {
        assertThatThrownBy(() -> ImageMirrors.parse(List.of("docker.io"))).hasMessageContaining("--image-mirror must be FROM=TO")
                .hasMessageContaining("'docker.io'");
        assertThatThrownBy(() -> ImageMirrors.parse(List.of("docker.io=Registry/Hub"))).hasMessageContaining("'docker.io=Registry/Hub'");
        assertThatThrownBy(() -> ImageMirrors.parse(List.of("apache/kafka:4.1.0=mirror/kafka"))).hasMessageContaining("no tag");
        assertThatThrownBy(() -> ImageMirrors.parse(List.of("docker.io=a.example", "docker.io/=b.example"))).hasMessageContaining("names docker.io twice");
    }

    @Test
    void everyContainerOfEveryPodPullsFromTheMirrorWhileTheStateKeepsTheImageAskedFor() {
        ClusterState state = TestStates.withComponent(TestStates.created("payments", 3, 3), "schema-registry", 1, Map.of());
        DesiredCluster desired = DesiredCluster.of(state, ModelSettings.defaults().withImageMirrors(mirrors), DesiredCluster.Inputs.of(state));
        List<String> images = desired.objects().stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .flatMap(s -> Stream.concat(s.getSpec().getTemplate().getSpec().getContainers().stream(),
                        s.getSpec().getTemplate().getSpec().getInitContainers().stream()))
                .map(Container::getImage).distinct().toList();
        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(image).startsWith("registry.corp.example/"));
        assertThat(images).contains("registry.corp.example/hub/apache/kafka:" + state.getSpec().getKafkaVersion(),
                "registry.corp.example/hub/bitnami/jmx-exporter:1.1.0");
        assertThat(state.getSpec().getImage()).isEqualTo("apache/kafka");
    }
}
