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
        FleetPlan plan = FleetPlan.of(fleet, List.of("dev-*"), List.of(), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3);
        assertThat(plan.waves()).extracting(w -> w.stream().map(FleetPlan.Target::clusterId).toList())
                .containsExactly(List.of("dev-a"), List.of("dev-b", "dev-c", "dev-d"), List.of("dev-e"));
        assertThat(plan.waves().get(1).get(1)).isEqualTo(new FleetPlan.Target("dev-c", 7, "4.1.0", true));
        assertThat(plan.clusters()).isEqualTo(5);
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void clustersThatNeedSomeoneAreLeftOutWithWhyAndOnesAlreadyAskedForAreWaitedForNotAskedAgain() {
        JsonNode fleet = summaries("a 4.1.0 Degraded 4", "b 4.2.0 Ready 8", "c 4.2.0 Upgrading 6", "d 4.1.0 Ready 2");
        FleetPlan plan = FleetPlan.of(fleet, List.of("a", "b", "c", "d"), List.of(), new FleetChanges.Upgrade("4.2.0"), "r", 2, 3);
        assertThat(plan.skipped()).extracting(FleetPlan.Skipped::clusterId).containsExactly("a", "b");
        assertThat(plan.skipped().get(0).reason()).contains("phase Degraded, not Ready", "cox get a");
        assertThat(plan.skipped().get(1).reason()).isEqualTo("already on 4.2.0");
        assertThat(plan.waves()).containsExactly(List.of(new FleetPlan.Target("c", 6, "4.2.0", false), new FleetPlan.Target("d", 2, "4.1.0", true)));
    }

    @Test
    void selectorsAreClusterPatternsAndOneMatchingNothingPlansNothing() {
        assertThat(FleetPlan.of(summaries("payments 4.1.0 Ready 1"), List.of("orders", " pay*"), List.of(), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3).clusters()).isEqualTo(1);
        assertThat(FleetPlan.of(summaries("x 4.1.0 Ready 1"), List.of("y*"), List.of(), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3).waves()).isEmpty();
    }

    @Test
    void aLabelSelectorChoosesAloneOrTogetherWithPatternsBothMustMatch() {
        JsonNode fleet = summaries("pay-a 4.1.0 Ready 1", "pay-b 4.1.0 Ready 2", "orders 4.1.0 Ready 3", "bare 4.1.0 Ready 4");
        ((ObjectNode) fleet.get(0)).putObject("labels").put("team", "payments").put("env", "prod");
        ((ObjectNode) fleet.get(1)).putObject("labels").put("team", "payments").put("env", "dev");
        ((ObjectNode) fleet.get(2)).putObject("labels").put("team", "payments").put("env", "prod");
        assertThat(chosen(FleetPlan.of(fleet, null, ClusterLabels.parseSelector("team=payments,env!=dev"), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3)))
                .containsExactly("orders", "pay-a");
        assertThat(chosen(FleetPlan.of(fleet, List.of("pay-*"), ClusterLabels.parseSelector("env=prod"), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3))).containsExactly("pay-a");
        assertThat(chosen(FleetPlan.of(fleet, null, ClusterLabels.parseSelector("!team"), new FleetChanges.Upgrade("4.2.0"), "r", 1, 3))).containsExactly("bare");
    }

    private static List<String> chosen(FleetPlan plan) {
        return plan.waves().stream().flatMap(List::stream).map(FleetPlan.Target::clusterId).toList();
    }
    @Test
    void aRestartTakesReadyClustersOnceARunWaitsForThoseItIsRestartingAndSkipsThoseItRestarted() {
        JsonNode fleet = summaries("a 4.1.0 Ready 4", "b 4.1.0 Rolling 8", "c 4.1.0 Ready 6", "d 4.1.0 Degraded 2", "e 4.1.0 Ready 3");
        ((ObjectNode) fleet.get(1)).putObject("operation").put("causeCommandId", FleetPlan.attemptId(FleetPlan.commandId("r7", "b"), 2))
                .put("state", "RUNNING"); // its second attempt, after a version conflict
        ((ObjectNode) fleet.get(2)).putObject("operation").put("causeCommandId", FleetPlan.commandId("r7", "c")).put("state", "SUCCEEDED");
        ((ObjectNode) fleet.get(4)).putObject("operation").put("causeCommandId", "someone-else").put("state", "SUCCEEDED");
        FleetChanges.Restart restart = new FleetChanges.Restart("brokers", "jvm patch");
        FleetPlan plan = FleetPlan.of(fleet, List.of("*"), List.of(), restart, "r7", 1, 3);
        assertThat(plan.waves()).containsExactly(List.of(new FleetPlan.Target("a", 4, "4.1.0", true)),
                List.of(new FleetPlan.Target("b", 8, "4.1.0", false), new FleetPlan.Target("e", 3, "4.1.0", true)));
        assertThat(plan.skipped()).extracting(s -> s.clusterId() + ": " + s.reason()).containsExactly("c: already restarted by this run",
                "d: phase Degraded, not Ready: a fleet restart starts only on Ready clusters; see `cox get d`, and restart it on its own once it is fixed");
        assertThat(restart.awaited(FleetPlan.commandId("r7", "b"))).as("its failure stops the run").isEqualTo("fleet-r7-b");
        assertThat(FleetPlan.attemptId("fleet-r7-b", 1)).isEqualTo("fleet-r7-b");
        assertThat(FleetPlan.isAttemptOf("fleet-r7-b.3", "fleet-r7-b")).isTrue();
        assertThat(FleetPlan.isAttemptOf("fleet-r7-bb", "fleet-r7-b")).as("another cluster's").isFalse();
        assertThat(restart.options()).isEqualTo("--component brokers --reason 'jvm patch'");
        assertThat(new FleetChanges.Restart("all", "it's patched").options()).as("quoted for a shell").isEqualTo("--component all --reason 'it'\\''s patched'");
    }
}
