package io.coxswain.commands.shape;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Apache Kafka release number, {@code MAJOR.MINOR.PATCH}, ordered numerically. */
public record KafkaVersion(int major, int minor, int patch) implements Comparable<KafkaVersion> {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Oldest release Coxswain can run: KRaft-only clusters need 3.7 or later. */
    public static final KafkaVersion OLDEST_SUPPORTED = new KafkaVersion(3, 7, 0);

    public static Optional<KafkaVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    @Override
    public int compareTo(KafkaVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
