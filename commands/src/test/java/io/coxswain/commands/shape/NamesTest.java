package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks accept exactly what the field patterns the API documents accept: compared
 * on random strings drawn from an alphabet of every allowed character and the near misses around
 * them, at every length up to past the limits, plus the edge cases named below.
 */
class NamesTest {

    private static final String ALPHABET = "azAZ09._:@/-`{[@ ~\u00e9\u0130\u212a\t";
    private static final List<String> EDGES = List.of("", "a", "-", ".", "..", "a-", "-a", "a--b", "A", "0", "0a", "a.b", "a_b",
            "x".repeat(128), "x".repeat(129), "x".repeat(200), "x".repeat(201), "x".repeat(249), "x".repeat(250), "k\u212a");

    @Test
    void idAcceptsExactlyItsPattern() {
        assertSame(Pattern.compile("[A-Za-z0-9._:@/-]{1,128}"), Names::isId);
    }

    @Test
    void dnsLabelAcceptsExactlyItsPattern() {
        assertSame(Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), Names::isDnsLabel);
    }

    @Test
    void topicNameAcceptsExactlyItsPattern() {
        assertSame(Pattern.compile("[a-zA-Z0-9._-]{1,249}"), Names::isTopicName);
    }

    @Test
    void configKeyAcceptsExactlyItsPattern() {
        assertSame(Pattern.compile("[a-z][a-z0-9._-]{0,199}"), Names::isConfigKey);
    }

    @Test
    void nullIsNeverAName() {
        assertThat(Names.isId(null) || Names.isDnsLabel(null) || Names.isTopicName(null) || Names.isConfigKey(null)).isFalse();
    }

    private static void assertSame(Pattern pattern, Predicate<String> check) {
        for (String s : EDGES) {
            assertThat(check.test(s)).as("'%s' against %s", s, pattern).isEqualTo(pattern.matcher(s).matches());
        }
        Random random = new Random(20261204);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            int length = random.nextInt(6) == 0 ? random.nextInt(260) : random.nextInt(6);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = b.toString();
            boolean expected = pattern.matcher(s).matches();
            assertThat(check.test(s)).as("'%s' against %s", s, pattern).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("the random strings exercise both answers").isGreaterThan(100);
    }
}
