package io.coxswain.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per principal, on a clock the test moves by hand. */
class CommandQuotaTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CommandQuota quota = CommandQuota.of(2, 3, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aBurstPassesThenTheCallerWaitsForTheRate() {
        for (int i = 0; i < 3; i++) {
            assertThat(quota.take("bob")).as("command " + (i + 1) + " of the burst").isEmpty();
        }
        assertThat(quota.take("bob")).contains(Duration.ofMillis(500));
        advance(Duration.ofMillis(499));
        assertThat(quota.take("bob")).as("not quite half a second later").isPresent();
        advance(Duration.ofMillis(1));
        assertThat(quota.take("bob")).isEmpty();
        assertThat(quota.take("bob")).contains(Duration.ofMillis(500));
    }

    @Test
    void principalsHaveTheirOwnAllowanceAndIdleTimeRefillsOnlyUpToTheBurst() {
        for (int i = 0; i < 3; i++) {
            quota.take("bob");
        }
        assertThat(quota.take("bob")).isPresent();
        assertThat(quota.take("alice")).isEmpty();

        advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(quota.take("bob")).isEmpty();
        }
        assertThat(quota.take("bob")).as("an hour idle still allows only the burst").isPresent();
    }

    @Test
    void unlimitedTakesNothingAndABadSettingIsRefused() {
        assertThat(CommandQuota.unlimited().limited()).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(CommandQuota.unlimited().take("bob")).isEmpty();
        }
        assertThatThrownBy(() -> CommandQuota.of(0, 5)).hasMessageContaining("positive rate");
        assertThatThrownBy(() -> CommandQuota.of(5, 0)).hasMessageContaining("burst of at least 1");
    }
}
