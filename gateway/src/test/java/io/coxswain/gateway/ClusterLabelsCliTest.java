package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cluster labels through cox, end to end (CoxCliHarness): created with {@code --label}, changed with {@code cox label}
 * (add, overwrite, {@code KEY-} removes, against the version read), listed and filtered by {@code cox get -l}, shown by
 * {@code cox get CLUSTER}, and choosing a fleet upgrade's clusters with {@code --selector}.
 */
class ClusterLabelsCliTest extends CoxCliHarness {

    @Test
    void labelsAreCreatedChangedListedAndSelectedThroughTheCli() {
        Run created = cox("create-cluster", "pay-prod", "--kafka-version", "4.1.0", "--label", "team=payments", "--label", "env=prod");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(cox("create-cluster", "pay-dev", "--kafka-version", "4.1.0", "--label", "team=payments", "--label", "env=dev").code()).isZero();
        assertThat(cox("create-cluster", "plain", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("get", "pay-prod").out()).contains("Labels: env=prod,team=payments");
        assertThat(cox("get", "plain").out()).doesNotContain("Labels:");

        Run changed = cox("label", "pay-prod", "env=staging", "tier=gold");
        assertThat(changed.code()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("SetClusterLabels on pay-prod: accepted, version 2");
        assertThat(cox("get", "pay-prod").out()).contains("Labels: env=staging,team=payments,tier=gold");
        Run removed = cox("label", "pay-prod", "tier-", "env=prod");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(cox("get", "pay-prod").out()).contains("Labels: env=prod,team=payments");

        Run same = cox("label", "pay-prod", "team=payments");
        assertThat(same.code()).isEqualTo(1);
        assertThat(same.err()).contains("SetClusterLabels on pay-prod rejected (NO_CHANGE)");
        Run stale = cox("label", "pay-prod", "tier=gold", "--expected-version", "1");
        assertThat(stale.code()).as("a change made since the version given is refused, not lost").isEqualTo(1);
        Run dry = cox("label", "pay-prod", "tier=gold", "--dry-run");
        assertThat(dry.out()).contains("would be accepted as version 4", "spec.labels");
        for (String bad : List.of("tier", "bad key=x", "tier=not valid")) {
            Run refused = cox("label", "pay-prod", "env=qa", bad);
            assertThat(refused.code()).as(bad).isEqualTo(2);
            assertThat(refused.err()).contains("'" + bad + "'");
        }
        assertThat(cox("label", "pay-prod").code()).as("nothing to change").isEqualTo(2);
        assertThat(cox("history", "pay-prod").out().lines().filter(l -> l.contains("SetClusterLabels")).count())
                .as("two changes, the NO_CHANGE and the stale one reached the log; the refused arguments did not").isEqualTo(4);

        Run payments = cox("get", "-l", "team=payments,env!=dev");
        assertThat(payments.code()).as(payments.err()).isZero();
        List<String> lines = payments.out().lines().toList();
        assertThat(lines.get(0)).startsWith("CLUSTER").endsWith("LABELS");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("pay-prod").endsWith("env=prod,team=payments");
        assertThat(cox("get", "--selector", "!team").out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).startsWith("plain").endsWith(" -"));
        Run badSelector = cox("get", "-l", "team=not valid");
        assertThat(badSelector.code()).isEqualTo(2);
        assertThat(badSelector.err()).contains("--selector", "'team=not valid'");
        assertThat(cox("get", "pay-prod", "-l", "team=payments").code()).as("a selector lists clusters").isEqualTo(2);
    }

    @Test
    void aLabelChangeDecidedOnAnEarlierVersionIsRefusedOnlyWhenSomeoneChangedTheClusterSince() {
        assertThat(cox("create-cluster", "busy", "--kafka-version", "4.1.0", "--label", "team=payments").code()).isZero();
        JsonNode read = cox("get", "busy", "-o", "json").json();
        long seen = read.path("version").asLong();
        // what its executor records meanwhile (a roll records a step every few seconds) moves the version, not the intent
        h.observe("busy", "{\"type\":\"ComponentObserved\",\"component\":\"brokers\",\"desired\":3,\"ready\":2,\"versions\":[\"4.1.0\"]}");
        JsonNode now = cox("get", "busy", "-o", "json").json();
        assertThat(now.path("version").asLong()).isEqualTo(seen + 1);
        assertThat(now.path("intentVersion").asLong()).isEqualTo(seen);

        Run labelled = cox("label", "busy", "tier=gold", "--unchanged-since", String.valueOf(seen));
        assertThat(labelled.code()).as(labelled.err()).isZero();
        Run stale = cox("label", "busy", "tier=silver", "--unchanged-since", String.valueOf(seen));
        assertThat(stale.code()).as("the tier=gold change came after the version it was decided on").isEqualTo(1);
        assertThat(stale.err()).contains("VERSION_CONFLICT", "changed at version " + (seen + 2) + ", after version " + seen);
        assertThat(cox("get", "busy").out()).contains("Labels: team=payments,tier=gold");
        List<String> asked = cox("history", "busy", "--changes").out().lines().skip(1).toList();
        assertThat(asked).as("what someone asked, without the observation: CreateCluster, the label change, the stale one refused").hasSize(3)
                .noneMatch(l -> l.contains("RecordObservation"));
        assertThat(cox("history", "busy").out()).contains("RecordObservation");
        assertThat(cox("history", "busy", "--last", "1").out().lines().skip(1).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("SetClusterLabels", "VERSION_CONFLICT"));
        assertThat(cox("history", "busy", "--last", "0").code()).isEqualTo(2);

        // the list says, per cluster, whether its executor has acted on what was asked (none runs in this test)
        long intent = cox("get", "busy", "-o", "json").json().path("intentVersion").asLong();
        assertThat(cox("get").out().lines().filter(l -> l.startsWith("busy ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains(" v0 of v" + intent + " "));
        h.observe("busy", "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + intent + "}");
        assertThat(cox("get").out().lines().filter(l -> l.startsWith("busy ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains(" yes "));
        JsonNode listed = h.get("/v1/clusters").json();
        assertThat(listed.findValues("intentVersion")).as("summaries show it too, for a fleet run").isNotEmpty();
    }

    @Test
    void aFleetUpgradeChoosesByLabelsAloneOrTogetherWithClusterPatterns() {
        assertThat(cox("create-cluster", "fl-a", "--kafka-version", "4.1.0", "--label", "ring=canary").code()).isZero();
        assertThat(cox("create-cluster", "fl-b", "--kafka-version", "4.1.0", "--label", "ring=main").code()).isZero();
        assertThat(cox("create-cluster", "other", "--kafka-version", "4.1.0", "--label", "ring=main").code()).isZero();

        // not Ready yet, so each cluster chosen is named as skipped: which are chosen shows without anything written
        Run byLabel = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--selector", "ring=main", "--dry-run");
        assertThat(byLabel.code()).as(byLabel.err()).isZero();
        assertThat(byLabel.out()).contains("skipped fl-b:", "skipped other:").doesNotContain("fl-a");
        Run both = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--clusters", "fl-*", "--selector", "ring=main", "--dry-run");
        assertThat(both.out()).contains("skipped fl-b:").doesNotContain("fl-a", "other");

        Run none = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--selector", "ring=nowhere", "--dry-run");
        assertThat(none.code()).isEqualTo(5);
        assertThat(none.err()).contains("no cluster you may read matches --selector ring=nowhere");
        Run neither = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--dry-run");
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("--clusters, --selector or both");
        assertThat(cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--selector", "ring=not valid").code()).isEqualTo(2);
        Run nothing = cox("fleet", "config", "--selector", "ring=main", "--dry-run");
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to change", "--set KEY=VALUE", "--remove KEY");
        Run config = cox("fleet", "config", "--set", "log.retention.hours=48", "--remove", "num.io.threads", "--selector", "ring=main", "--dry-run");
        assertThat(config.code()).as(config.err()).isZero();
        assertThat(config.out()).contains("fleet config", "log.retention.hours=48, num.io.threads removed", "skipped fl-b:", "skipped other:");
    }
}
