package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code cox offsets reset|cancel|list} end to end (CoxCliTest's way of running cox): the fold's rules as cox reports them, what
 * list and get show of a pending reset, of the executor's plan and of its outcome (OffsetResetObserved, recorded here by
 * the test as the executor would), and what the gateway's shape check refuses, with nothing written.
 */
class OffsetResetCliTest extends CoxCliHarness {

    private static long resetsLogged(String cluster) {
        return cox("history", cluster).out().lines().filter(l -> l.contains("ResetConsumerGroupOffsets")).count();
    }

    @Test
    void aResetIsAskedListedPendingThenPlannedAndItsOutcomeShownWithTheFoldsRules() {
        assertThat(cox("create-cluster", "events", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "events", "orders", "--partitions", "3", "--replication-factor", "1").code()).isZero();

        Run reset = cox("offsets", "reset", "events", "orders-app", "--to-datetime", "2026-12-01T10:00:00Z", "--topic", "orders",
                "--reason", "replay after the bad deploy", "--command-id", "cli-reset-1");
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("ResetConsumerGroupOffsets on events: accepted, version 3 (command cli-reset-1)",
                "follow it with: cox offsets list events");
        assertThat(cox("offsets", "list", "events").out()).contains("Pending:").doesNotContain("Latest outcomes:")
                .containsPattern("orders-app +DATETIME 2026-12-01T10:00:00Z +orders +alice +\\S+ +not yet +cli-reset-1");
        assertThat(cox("get", "events").out()).contains("Offset resets: 1 pending (cox offsets list events)");

        Run again = cox("offsets", "reset", "events", "orders-app", "--to-earliest");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("ResetConsumerGroupOffsets on events rejected (OPERATION_IN_PROGRESS)", "cli-reset-1");
        Run unknown = cox("offsets", "reset", "events", "billing", "--to-latest", "--topic", "invoices");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("rejected (TOPIC_NOT_FOUND)", "'invoices'");
        Run dryRun = cox("offsets", "reset", "events", "billing", "--shift-by", "-50", "--dry-run");
        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("would be accepted", "nothing written", "spec.offsetResets");

        String plan = "\"partitions\":{\"orders\":[{\"partition\":0,\"from\":120,\"to\":40},{\"partition\":1,\"from\":null,\"to\":0},"
                + "{\"partition\":2,\"from\":75,\"to\":75}]}";
        h.observe("events", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"cli-reset-1\",\"group\":\"orders-app\",\"state\":\"PLANNED\","
                + plan + "}");
        assertThat(cox("offsets", "list", "events").out()).containsPattern("orders-app +DATETIME .* 3 partitions at \\S+ +cli-reset-1");
        h.observe("events", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"cli-reset-1\",\"group\":\"orders-app\",\"state\":\"DONE\","
                + plan + "}");

        assertThat(cox("offsets", "reset", "events", "billing", "--to-earliest", "--command-id", "cli-reset-2").code()).isZero();
        h.observe("events", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"cli-reset-2\",\"group\":\"billing\",\"state\":\"REFUSED\","
                + "\"reason\":\"consumer group 'billing' has 1 member(s) (consumer-1): stop its consumers\"}");
        Run list = cox("offsets", "list", "events");
        assertThat(list.out()).doesNotContain("Pending:").contains("Latest outcomes:")
                .containsPattern("billing +REFUSED +0 +\\S+ +cli-reset-2 +consumer group 'billing' has 1 member\\(s\\) \\(consumer-1\\): stop its consumers")
                .containsPattern("orders-app +DONE +3 +\\S+ +cli-reset-1 +-");
        assertThat(cox("get", "events").out()).contains("Offset resets: 0 pending; latest: 1 DONE, 1 REFUSED (cox offsets list events)");
        assertThat(cox("offsets", "list", "events", "-o", "json").json().at("/latest/orders-app/partitions").asInt()).isEqualTo(3);

        JsonNode audit = cox("audit", "--cluster", "events", "--type", "OffsetResetObserved", "-o", "json").json();
        assertThat(audit.toString()).as("every partition's before and after is in the log").contains("\"from\":120", "\"to\":40");
    }

    @Test
    void aResetNotPlannedYetIsCancelledAndOnePlannedIsNot() {
        assertThat(cox("create-cluster", "audits", "--kafka-version", "4.1.0").code()).isZero();
        Run nothing = cox("offsets", "cancel", "audits", "billing");
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("CancelConsumerGroupOffsetReset on audits rejected (NO_CHANGE)",
                "no reset of consumer group 'billing' is pending on cluster 'audits'");

        assertThat(cox("offsets", "reset", "audits", "billing", "--to-earliest", "--command-id", "cli-reset-3").code()).isZero();
        Run cancel = cox("offsets", "cancel", "audits", "billing", "--reason", "consumers kept running", "--command-id", "cli-cancel-3");
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("CancelConsumerGroupOffsetReset on audits: accepted");
        assertThat(cox("offsets", "list", "audits").out()).doesNotContain("Pending:").containsPattern("billing +CANCELLED +0 +\\S+ +cli-reset-3"
                + " +cancelled by command cli-cancel-3 of alice \\(consumers kept running\\) before the executor planned it: no offset was moved");

        assertThat(cox("offsets", "reset", "audits", "billing", "--to-latest", "--command-id", "cli-reset-4").code()).isZero();
        h.observe("audits", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"cli-reset-4\",\"group\":\"billing\",\"state\":\"PLANNED\","
                + "\"partitions\":{}}");
        Run late = cox("offsets", "cancel", "audits", "billing");
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.err()).contains("rejected (OPERATION_IN_PROGRESS)", "cli-reset-4 was planned at", "cox audit --cluster");
        assertThat(cox("offsets", "list", "audits").out()).contains("Pending:").containsPattern("billing +LATEST .* cli-reset-4");
    }

    @Test
    void whatTheShapeCheckRefusesExitsTwoNamingTheFieldWithNothingWritten() {
        assertThat(cox("create-cluster", "stream", "--kafka-version", "4.1.0").code()).isZero();

        Run internal = cox("offsets", "reset", "stream", "orders-app", "--to-earliest", "--topic", "orders,__consumer_offsets");
        assertThat(internal.code()).isEqualTo(2);
        assertThat(internal.err()).contains("[payload.topics[1]]", "'__consumer_offsets' is one of Kafka's internal topics");
        Run badTopic = cox("offsets", "reset", "stream", "orders-app", "--to-latest", "--topic", "orders/eu");
        assertThat(badTopic.code()).isEqualTo(2);
        assertThat(badTopic.err()).contains("[payload.topics[0]]", "'orders/eu'");
        Run blankGroup = cox("offsets", "reset", "stream", " ", "--shift-by", "-5");
        assertThat(blankGroup.code()).isEqualTo(2);
        assertThat(blankGroup.err()).contains("[payload.group]", "must be a consumer group id");
        Run longReason = cox("offsets", "reset", "stream", "orders-app", "--to-datetime", "2026-12-01", "--reason", "x".repeat(501));
        assertThat(longReason.code()).isEqualTo(2);
        assertThat(longReason.err()).contains("[payload.reason]");
        Run dryRun = cox("offsets", "reset", "stream", "orders-app", "--to-earliest", "--topic", "__consumer_offsets", "--dry-run");
        assertThat(dryRun.code()).as("a dry run is shape-checked alike").isEqualTo(2);
        assertThat(dryRun.err()).contains("[payload.topics[0]]");

        assertThat(resetsLogged("stream")).as("no bad input reached the log").isZero();
        assertThat(cox("offsets", "list", "stream").out()).contains("cluster stream has no consumer group offset resets");
        assertThat(cox("get", "stream").out()).doesNotContain("Offset resets");
    }
}
