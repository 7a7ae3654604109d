package io.coxswain.commands.shape;

import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of ResetConsumerGroupOffsets. Each target takes exactly the field it needs
 * ({@code datetime} for DATETIME, {@code shiftBy} for SHIFT_BY), so a command read back by an
 * auditor never carries a value that played no part. Kafka's own internal topics ({@code __*})
 * are refused: a group's offsets on them are Kafka's business, not a person's.
 */
public final class OffsetResetShape {

    /** Kafka's limit on a group id is the coordinator's; this keeps ids a person can read and a log line can hold. */
    public static final int MAX_GROUP_LENGTH = 255;
    public static final int MAX_TOPICS = 100;

    private OffsetResetShape() {
    }

    static void check(ResetConsumerGroupOffsets r, List<Violation> v) {
        checkGroup(r.getGroup(), v);
        List<String> topics = r.getTopics();
        if (topics.size() > MAX_TOPICS) {
            v.add(new Violation("payload.topics", "must name at most " + MAX_TOPICS + " topics, got " + topics.size()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < topics.size() && i < MAX_TOPICS; i++) {
            String t = topics.get(i);
            String field = "payload.topics[" + i + "]";
            if (!Names.isTopicName(t) || t.equals(".") || t.equals("..")) {
                v.add(new Violation(field, "must be a Kafka topic name: 1-249 characters of letters, digits, '.', '_' and '-', got '" + t + "'"));
            } else if (t.startsWith("__")) {
                v.add(new Violation(field, "'" + t + "' is one of Kafka's internal topics, whose offsets a group does not own"));
            } else if (!seen.add(t)) {
                v.add(new Violation(field, "'" + t + "' is named twice"));
            }
        }
        OffsetResetTarget to = r.getTo();
        if (to == null) {
            v.add(new Violation("payload.to", "is required: EARLIEST, LATEST, DATETIME or SHIFT_BY"));
            return;
        }
        if (to == OffsetResetTarget.DATETIME) {
            if (r.getDatetime() == null) {
                v.add(new Violation("payload.datetime", "is required with to DATETIME: the time each partition goes back or forward to"));
            } else if (r.getDatetime().toEpochMilli() < 0) {
                v.add(new Violation("payload.datetime", "must be after 1970-01-01T00:00:00Z, got " + r.getDatetime()));
            }
        } else if (r.getDatetime() != null) {
            v.add(new Violation("payload.datetime", "is only for to DATETIME, and to is " + to));
        }
        if (to == OffsetResetTarget.SHIFT_BY) {
            if (r.getShiftBy() == null || r.getShiftBy() == 0) {
                v.add(new Violation("payload.shiftBy", "is required with to SHIFT_BY and must not be 0: records to move back (negative) or"
                        + " forward, got " + r.getShiftBy()));
            }
        } else if (r.getShiftBy() != null) {
            v.add(new Violation("payload.shiftBy", "is only for to SHIFT_BY, and to is " + to));
        }
    }

    /** A group id a person can read: no control characters, not blank, at most {@value #MAX_GROUP_LENGTH} characters. */
    public static void checkGroup(String group, List<Violation> v) {
        if (group == null || group.isBlank() || group.length() > MAX_GROUP_LENGTH || group.chars().anyMatch(Character::isISOControl)) {
            v.add(new Violation("payload.group", "must be a consumer group id: 1-" + MAX_GROUP_LENGTH + " characters, not blank, no control"
                    + " characters, got '" + (group == null ? null : group.replaceAll("\\p{Cntrl}", "?")) + "'"));
        }
    }
}
