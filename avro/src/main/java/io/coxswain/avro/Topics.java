package io.coxswain.avro;

import java.util.Objects;

/**
 * Names of Coxswain's topics and of their schema-registry subjects, derived from one prefix
 * (default {@code coxswain.}) so that several Coxswain installations can share a bootstrap Kafka.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "coxswain.";

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** The audit log: every intent and observation, keyed by cluster id, kept forever. */
    public String commands() { return prefix + "commands"; }

    /** Decisions (accepted / rejected) for each command, keyed by cluster id. */
    public String events() { return prefix + "events"; }

    /** Latest folded {@code ClusterState} per cluster (compacted). */
    public String state() { return prefix + "state"; }

    /** Records of {@link #commands()} that could not be decoded, with the reason in headers. */
    public String deadLetter() { return prefix + "deadletter"; }

    /** Backing store of the schema registry: subject + version → schema. */
    public String schemas() { return prefix + "schemas"; }

    /** Confluent's TopicNameStrategy subject for a topic's values. */
    public static String valueSubject(String topic) { return topic + "-value"; }
}
