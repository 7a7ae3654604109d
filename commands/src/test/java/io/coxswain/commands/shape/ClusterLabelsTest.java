package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Labels in Kubernetes' syntax, each bad key or value named; selectors as kubectl's equality-based ones read. */
class ClusterLabelsTest {

    private static List<Violation> check(Map<String, String> labels) {
        List<Violation> v = new ArrayList<>();
        ClusterLabels.check(labels, "payload.labels", v);
        return v;
    }

    @Test
    void kubernetesLabelsAreTakenAndEachBadKeyOrValueIsNamed() {
        assertThat(check(Map.of("team", "payments", "env", "prod", "example.com/cost-center", "cc-1234", "tier", ""))).isEmpty();

        assertThat(check(Map.of("Team Name", "x"))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("payload.labels.Team Name");
            assertThat(v.message()).contains("key must be [prefix/]name", "got 'Team Name'");
        });
        assertThat(check(Map.of("team", "pay ments"))).singleElement().satisfies(v -> assertThat(v.message()).contains("value must be", "got 'pay ments'"));
        assertThat(check(Map.of("team", "x".repeat(64)))).hasSize(1);
        assertThat(check(Map.of("Bad_Prefix/team", "x"))).as("a prefix is a DNS subdomain: lower case").hasSize(1);
        assertThat(check(Map.of("coxswain.io/owner", "x"))).singleElement().satisfies(v -> assertThat(v.message()).contains("reserved"));
        assertThat(check(Map.of("app.kubernetes.io/instance", "x"))).as("Coxswain selects the cluster's pods by it")
                .singleElement().satisfies(v -> assertThat(v.message()).contains("set by Coxswain on every Kubernetes object"));
        assertThat(check(Map.of("app.kubernetes.io/part-of", "checkout"))).isEmpty();
        Map<String, String> many = new TreeMap<>();
        for (int i = 0; i <= ClusterLabels.MAX_LABELS; i++) {
            many.put("k" + i, "v");
        }
        assertThat(check(many)).singleElement().satisfies(v -> assertThat(v.message()).contains("at most 32 labels, got 33"));
    }

    @Test
    void aSelectorsRequirementsMustAllHold() {
        Map<String, String> payments = Map.of("team", "payments", "env", "prod");
        Map<String, String> sandbox = Map.of("team", "payments", "env", "dev", "ephemeral", "true");
        List<ClusterLabels.Requirement> prodOfPayments = ClusterLabels.parseSelector("team=payments, env==prod");
        assertThat(ClusterLabels.matches(prodOfPayments, payments)).isTrue();
        assertThat(ClusterLabels.matches(prodOfPayments, sandbox)).isFalse();
        assertThat(ClusterLabels.matches(ClusterLabels.parseSelector("env!=prod"), sandbox)).isTrue();
        assertThat(ClusterLabels.matches(ClusterLabels.parseSelector("env!=prod"), Map.of())).as("no env at all is not prod").isTrue();
        assertThat(ClusterLabels.matches(ClusterLabels.parseSelector("ephemeral"), sandbox)).isTrue();
        assertThat(ClusterLabels.matches(ClusterLabels.parseSelector("!ephemeral"), sandbox)).isFalse();
        assertThat(ClusterLabels.matches(ClusterLabels.parseSelector(""), Map.of())).as("a blank selector takes every cluster").isTrue();

        assertThatThrownBy(() -> ClusterLabels.parseSelector("team=pay ments")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'team=pay ments' is not a label requirement");
        assertThatThrownBy(() -> ClusterLabels.parseSelector("team in (a,b)")).isInstanceOf(IllegalArgumentException.class);
    }
}
