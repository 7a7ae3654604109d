package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.CancelConsumerGroupOffsetReset;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A consumer group offset reset names a group a person can read, real topics (none of Kafka's own),
 * and exactly the value its target needs: the log keeps no field that played no part.
 */
class OffsetResetShapeTest {

    private static ResetConsumerGroupOffsets reset(String group, List<String> topics, OffsetResetTarget to, Instant datetime, Long shiftBy) {
        return new ResetConsumerGroupOffsets(group, topics, to, datetime, shiftBy, null);
    }

    @Test
    void eachTargetWithItsOwnValueIsWellFormed() {
        assertThat(PayloadViolations.of(reset("billing-v2", List.of("orders"), OffsetResetTarget.EARLIEST, null, null))).isEmpty();
        assertThat(PayloadViolations.of(reset("billing v2 (eu)", List.of(), OffsetResetTarget.LATEST, null, null))).isEmpty();
        assertThat(PayloadViolations.of(reset("g", List.of("orders", "payments"), OffsetResetTarget.DATETIME,
                Instant.parse("2026-12-01T10:00:00Z"), null))).isEmpty();
        assertThat(PayloadViolations.of(reset("g", List.of("orders"), OffsetResetTarget.SHIFT_BY, null, -250L))).isEmpty();
    }

    @Test
    void aTargetWithoutItsValueOrWithAnotherTargetsValueIsRefusedNamingTheField() {
        assertThat(PayloadViolations.of(reset("g", List.of(), OffsetResetTarget.DATETIME, null, null))).singleElement().asString()
                .contains("payload.datetime", "required with to DATETIME");
        assertThat(PayloadViolations.of(reset("g", List.of(), OffsetResetTarget.SHIFT_BY, null, 0L))).singleElement().asString()
                .contains("payload.shiftBy", "must not be 0");
        assertThat(PayloadViolations.of(reset("g", List.of(), OffsetResetTarget.EARLIEST, Instant.EPOCH, 5L)))
                .anySatisfy(s -> assertThat(s).contains("payload.datetime", "only for to DATETIME, and to is EARLIEST"))
                .anySatisfy(s -> assertThat(s).contains("payload.shiftBy", "only for to SHIFT_BY"));
    }

    @Test
    void groupAndTopicsAreChecked() {
        assertThat(PayloadViolations.of(reset(" ", List.of(), OffsetResetTarget.LATEST, null, null))).singleElement().asString()
                .contains("payload.group", "not blank");
        assertThat(PayloadViolations.of(reset("a\nb", List.of(), OffsetResetTarget.LATEST, null, null))).singleElement().asString()
                .contains("payload.group", "control characters", "'a?b'");
        assertThat(PayloadViolations.of(reset("g", List.of("orders", "bad topic", "__consumer_offsets", "orders"), OffsetResetTarget.LATEST,
                null, null))).containsExactly(
                "payload.topics[1]: must be a Kafka topic name: 1-249 characters of letters, digits, '.', '_' and '-', got 'bad topic'",
                "payload.topics[2]: '__consumer_offsets' is one of Kafka's internal topics, whose offsets a group does not own",
                "payload.topics[3]: 'orders' is named twice");
    }

    @Test
    void aCancelNamesAGroupAsAResetDoesAndAReasonOfAtMost500Characters() {
        assertThat(PayloadViolations.of(new CancelConsumerGroupOffsetReset("billing v2 (eu)", "consumers could not be stopped"))).isEmpty();
        assertThat(PayloadViolations.of(new CancelConsumerGroupOffsetReset("billing", null))).isEmpty();
        assertThat(PayloadViolations.of(new CancelConsumerGroupOffsetReset("a\tb", null))).singleElement().asString()
                .contains("payload.group", "control characters", "'a?b'");
        assertThat(PayloadViolations.of(new CancelConsumerGroupOffsetReset("billing", "x".repeat(501)))).singleElement().asString()
                .contains("payload.reason");
    }
}
