package io.coxswain.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTimingTest {

    @Test
    void anEntryIsMillisecondsWithOneDecimalRoundedHalfUp() {
        assertThat(ServerTiming.entry("write", 1_249_999)).isEqualTo("write;dur=1.2");
        assertThat(ServerTiming.entry("write", 1_250_000)).isEqualTo("write;dur=1.3");
        assertThat(ServerTiming.entry("decision", 20_000_000)).isEqualTo("decision;dur=20.0");
        assertThat(ServerTiming.entry("state", 40_000)).isEqualTo("state;dur=0.0");
        assertThat(ServerTiming.entry("total", 123_456_789_012L)).isEqualTo("total;dur=123456.8");
    }
}
