package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.shape.ClusterLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetPlanTest {

    private static JsonNode summaries(String... rows) {
        ArrayNode a = GatewayClient.JSON.createArrayNode();
        for (String row : rows) {
            String[] f = row.split(" ");
            a.addObject().put("clusterId", f[0]).put("kafkaVersion", f[1]).put("phase", f[2]).put("version", Long.parseLong(f[3]));
        }
        return a;
    }

    @Test
    void readyClustersOfTheSelectionGoInWavesInIdOrderACanaryAloneFirst() {
        JsonNode fleet = summaries("dev-c 4.1.0 Ready 7", "dev-a 4.1.0 Ready 3", "prod-a 4.1.0 Ready 9", "dev-b 4.0.0 Ready 2",
                "dev-d 4.1.0 Ready 1", "dev-e 4.1.0 Ready 5");
        FleetPlan plan = FleetPlan.of(fleet, List.of("dev-*"), List.of(), "4.2.0", 1, 3);
        assertThat(plan.waves()).extracting(w -> w.stream().map(FleetPlan.Target::clusterId).toList())
                .containsExactly(List.of("dev-a"), List.of("dev-b", "dev-c", "dev-d"), List.of("dev-e"));
        assertThat(plan.waves().get(1).get(1)).isEqualTo(new FleetPlan.Target("dev-c", 7, "4.1.0", true));
        assertThat(plan.clusters()).isEqualTo(5);
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void clustersThatNeedSomeoneAreLeftOutWithWhyAndOnesAlreadyAskedForAreWaitedForNotAskedAgain() {
        JsonNode fleet = summaries("a 4.1.0 Degraded 4", "b 4.2.0 Ready 8", "c 4.2.0 Upgrading 6", "d 4.1.0 Ready 2");
        FleetPlan plan = FleetPlan.of(fleet, List.of("a", "b", "c", "d"), List.of(), "4.2.0", 2, 3);
        assertThat(plan.skipped()).extracting(FleetPlan.Skipped::clusterId).containsExactly("a", "b");
        assertThat(plan.skipped().get(0).reason()).contains("phase Degraded, not Ready", "cox get a");
        assertThat(plan.skipped().get(1).reason()).isEqualTo("already on 4.2.0");
        assertThat(plan.waves()).containsExactly(List.of(new FleetPlan.Target("c", 6, "4.2.0", false), new FleetPlan.Target("d", 2, "4.1.0", true)));
    }

    @Test
    void selectorsAreClusterPatternsAndOneMatchingNothingPlansNothing() {
        assertThat(FleetPlan.of(summaries("payments 4.1.0 Ready 1"), List.of("orders", " pay*"), List.of(), "4.2.0", 1, 3).clusters()).isEqualTo(1);
        assertThat(FleetPlan.of(summaries("x 4.1.0 Ready 1"), List.of("y*"), List.of(), "4.2.0", 1, 3).waves()).isEmpty();
    }

    @Test
    void aLabelSelectorChoosesAloneOrTogetherWithPatternsBothMustMatch() {
        JsonNode fleet = summaries("pay-a 4.1.0 Ready 1", "pay-b 4.1.0 Ready 2", "orders 4.1.0 Ready 3", "bare 4.1.0 Ready 4");
        ((ObjectNode) fleet.get(0)).putObject("labels").put("team", "payments").put("env", "prod");
        ((ObjectNode) fleet.get(1)).putObject("labels").put("team", "payments").put("env", "dev");
        ((ObjectNode) fleet.get(2)).putObject("labels").put("team", "payments").put("env", "prod");
        assertThat(chosen(FleetPlan.of(fleet, null, ClusterLabels.parseSelector("team=payments,env!=dev"), "4.2.0", 1, 3)))
                .containsExactly("orders", "pay-a");
        assertThat(chosen(FleetPlan.of(fleet, List.of("pay-*"), ClusterLabels.parseSelector("env=prod"), "4.2.0", 1, 3))).containsExactly("pay-a");
        assertThat(chosen(FleetPlan.of(fleet, null, ClusterLabels.parseSelector("!team"), "4.2.0", 1, 3))).containsExactly("bare");
    }

    private static List<String> chosen(FleetPlan plan) {
        return plan.waves().stream().flatMap(List::stream).map(FleetPlan.Target::clusterId).toList();
    }
}
