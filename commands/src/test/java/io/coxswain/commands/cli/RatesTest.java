package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.commands.shape.ThrottleShape;
import org.junit.jupiter.api.Test;

/** {@code --throttle RATE}: bytes per second, or binary units a person types and reads. */
class RatesTest {

    @Test
    void aRateIsBytesOrABinaryUnitPerSecond() {
        assertThat(Rates.bytesPerSecond("--throttle", "52428800")).isEqualTo(52_428_800L);
        assertThat(Rates.bytesPerSecond("--throttle", "50MiB")).isEqualTo(50L * 1024 * 1024);
        assertThat(Rates.bytesPerSecond("--throttle", "512KiB")).isEqualTo(512L * 1024);
        assertThat(Rates.bytesPerSecond("--throttle", "1GiB")).isEqualTo(1024L * 1024 * 1024);
        assertThat(Rates.bytesPerSecond("--throttle", " 10GiB/s ")).isEqualTo(10L * 1024 * 1024 * 1024);
    }

    @Test
    void anythingElseIsBadInputNamingTheOptionAndTheForms() {
        // decimal units, fractions, negatives, no number, and rates past a long are all refused, never guessed
        for (String bad : new String[] {"50MB", "50mib", "1.5GiB", "-1", "MiB", "", "50 MiB", "99999999999999999999", "9999999999GiB"}) {
            assertThatThrownBy(() -> Rates.bytesPerSecond("--throttle", bad)).as(bad)
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode).isEqualTo(CliException.BAD_INPUT))
                    .hasMessageContaining("--throttle must be bytes per second").hasMessageContaining("50MiB").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void aRateReadsInTheLargestWholeBinaryUnit() {
        assertThat(ThrottleShape.format(50L * 1024 * 1024)).isEqualTo("50 MiB/s");
        assertThat(ThrottleShape.format(2L * 1024 * 1024 * 1024)).isEqualTo("2 GiB/s");
        assertThat(ThrottleShape.format(1536L * 1024)).isEqualTo("1536 KiB/s");
        assertThat(ThrottleShape.format(1_000_000)).isEqualTo("1000000 bytes/s");
    }
}
