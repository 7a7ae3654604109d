package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPatternsTest {

    @Test
    void aPatternIsAnIdAPrefixOrEverything() {
        assertThat(ClusterPatterns.matchAny(List.of("*"), "anything")).isTrue();
        assertThat(ClusterPatterns.matchAny(List.of("pay"), "payments")).isFalse();
        assertThat(ClusterPatterns.matchAny(List.of("orders", "pay*"), "payments")).isTrue();
        assertThat(ClusterPatterns.matchAny(List.of("orders", "pay*"), "ledger")).isFalse();
        assertThat(ClusterPatterns.matchAny(List.of(), "payments")).isFalse();
    }
}
