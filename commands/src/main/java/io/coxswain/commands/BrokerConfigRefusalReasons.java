package io.coxswain.commands;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the reason of a live broker key Kafka refused reads ({@code status.executorRefusals}, keys {@link #KEY_PREFIX}...): the
 * executor writes it, and cox wait reads back what was refused, to tell a refusal the state still asks for (no change is acted
 * on until it is fixed, so waiting cannot help) from one a newer change may lift. The observation has no field for the keys,
 * so the reason names them, in one place.
 */
public final class BrokerConfigRefusalReasons {

    /** The prefix of the keys: {@code brokerConfig/cluster-default}, {@code brokerConfig/broker-<id>}. */
    public static final String KEY_PREFIX = "brokerConfig/";

    private static final String REMOVING = "removing ";
    private static final Pattern REFUSED = Pattern.compile("^Kafka refused (.+?) on (?:the cluster default|broker \\d+): ", Pattern.DOTALL);

    private BrokerConfigRefusalReasons() {
    }

    /** {@code message.max.bytes=-5, removing log.cleaner.threads}: each key with the value asked, in key order (empty: removed). */
    public static String asked(Map<String, Optional<String>> keys) {
        return new TreeMap<>(keys).entrySet().stream().map(e -> e.getValue().map(v -> e.getKey() + "=" + v).orElse(REMOVING + e.getKey()))
                .collect(Collectors.joining(", "));
    }

    /** @param where {@code the cluster default} or {@code broker 3} */
    public static String reason(Map<String, Optional<String>> keys, String where, String rest) {
        return "Kafka refused " + asked(keys) + " on " + where + ": " + rest;
    }

    /** What the reason says Kafka refused ({@link #asked}); empty when it does not read so (written otherwise, or a value with ", "). */
    public static Optional<Map<String, Optional<String>>> refused(String reason) {
        Matcher m = REFUSED.matcher(reason);
        if (!m.find()) {
            return Optional.empty();
        }
        Map<String, Optional<String>> keys = new TreeMap<>();
        for (String item : m.group(1).split(", ")) {
            int eq = item.indexOf('=');
            if (item.startsWith(REMOVING) && eq < 0) {
                keys.put(item.substring(REMOVING.length()), Optional.empty());
            } else if (eq > 0) {
                keys.put(item.substring(0, eq), Optional.of(item.substring(eq + 1)));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(keys);
    }

    /**
     * Whether {@code brokerConfig} (a state's {@code spec.brokerConfig}) still asks for what the reason says Kafka refused: each
     * key at the value refused, each removed key absent. The executor then asks Kafka the same and is refused the same; false
     * when the reason does not read as one.
     */
    public static boolean stillAsked(String reason, Map<String, String> brokerConfig) {
        return refused(reason).map(keys -> keys.entrySet().stream()
                .allMatch(e -> e.getValue().equals(Optional.ofNullable(brokerConfig.get(e.getKey()))))).orElse(false);
    }
}
