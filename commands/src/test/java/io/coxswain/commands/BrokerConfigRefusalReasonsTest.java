package io.coxswain.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A live broker key Kafka refused, as the executor words it and cox wait reads it back against the state. */
class BrokerConfigRefusalReasonsTest {

    private static final Map<String, Optional<String>> ASKED = Map.of("message.max.bytes", Optional.of("-5"), "log.cleaner.threads", Optional.empty());

    @Test
    void theReasonReadsBackAsTheKeysRefused() {
        String reason = BrokerConfigRefusalReasons.reason(ASKED, "the cluster default", "InvalidRequestException: Value must be at least 0; fix it");
        assertThat(reason).isEqualTo("Kafka refused removing log.cleaner.threads, message.max.bytes=-5 on the cluster default: "
                + "InvalidRequestException: Value must be at least 0; fix it");
        assertThat(BrokerConfigRefusalReasons.refused(reason)).contains(ASKED);
        assertThat(BrokerConfigRefusalReasons.refused(BrokerConfigRefusalReasons.reason(ASKED, "broker 3", "no"))).contains(ASKED);
    }

    @Test
    void stillAskedOnlyWhileTheStateAsksWhatWasRefused() {
        String reason = BrokerConfigRefusalReasons.reason(ASKED, "broker 3", "PolicyViolationException: no");
        assertThat(BrokerConfigRefusalReasons.stillAsked(reason, Map.of("message.max.bytes", "-5", "num.io.threads", "8"))).isTrue();
        assertThat(BrokerConfigRefusalReasons.stillAsked(reason, Map.of("message.max.bytes", "1000"))).as("corrected").isFalse();
        assertThat(BrokerConfigRefusalReasons.stillAsked(reason, Map.of())).as("dropped").isFalse();
        assertThat(BrokerConfigRefusalReasons.stillAsked(reason, Map.of("message.max.bytes", "-5", "log.cleaner.threads", "2")))
                .as("the removed key asked again").isFalse();
    }

    @Test
    void aReasonWrittenOtherwiseIsNeverTakenAsStillAsked() {
        assertThat(BrokerConfigRefusalReasons.refused("its namespace coxswain is the namespace Coxswain runs in")).isEmpty();
        assertThat(BrokerConfigRefusalReasons.stillAsked("Kafka refused a, b on the cluster default: no", Map.of("a", "x"))).isFalse();
    }
}
