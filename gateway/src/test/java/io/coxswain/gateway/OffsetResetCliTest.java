package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code cox offsets reset|list} end to end (CoxCliTest's way of running cox): what the gateway's shape check refuses,
 * as cox reports it, with nothing written.
 */
class OffsetResetCliTest extends CoxCliHarness {

    private static long resetsLogged(String cluster) {
        return cox("history", cluster).out().lines().filter(l -> l.contains("ResetConsumerGroupOffsets")).count();
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
