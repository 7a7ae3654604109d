package io.coxswain.commands.nodes;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * The fold's group as this gateway last saw it.
 *
 * @param group       the fold's consumer group (the nodes' application id)
 * @param members     its live members; empty when {@code unavailable}
 * @param unavailable why Kafka could not describe the group (then nothing is known of the nodes), else null
 * @param asOf        when Kafka answered, or failed to
 */
public record FoldView(String group, List<FoldMember> members, String unavailable, Instant asOf) {

    /** The oldest commands schema version a member announces; empty when none announces one. */
    public OptionalInt oldest() {
        return members.stream().map(FoldMember::commandsSchemaVersion).filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).min();
    }

    /** The members that announce no version (a Coxswain from before announcements). */
    public List<FoldMember> unknown() {
        return members.stream().filter(m -> m.commandsSchemaVersion().isEmpty()).toList();
    }
}
