package io.coxswain.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tokens {@code dev} mode makes: random, URL-safe, and usable as a command-line argument as they are (one
 * beginning with '-' made {@code cox --token <it>} fail, and FleetUpgradeEndToEndTest with it, one run in 64).
 */
class TokensTest {

    @Test
    void generatedTokensAreDistinctUrlSafeAndNeverLookLikeAnOption() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 10_000; i++) { // about 156 of them would begin with '-' if nothing prevented it
            tokens.add(Tokens.generate());
        }
        assertThat(tokens).hasSize(10_000).allMatch(t -> t.matches("[A-Za-z0-9_][A-Za-z0-9_-]{31}"));
    }
}
