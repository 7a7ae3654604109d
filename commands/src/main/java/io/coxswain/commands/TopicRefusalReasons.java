package io.coxswain.commands;

/**
 * How the reason of a topic change Kafka refused begins (TopicsRefusedObserved, status.topicRefusals), by kind of change:
 * the observation names no kind, so its reason does. The executor writes them, the fold keeps a refused deletion by its
 * beginning (the one refusal of a topic the state no longer has), and cox get prints each kind's way out by them. A
 * creation or configuration change has Kafka's answer alone; several kinds of one topic are joined with "; ", in this order.
 */
public final class TopicRefusalReasons {

    public static final String PARTITIONS = "IncreasePartitions refused: ";
    public static final String REPLICATION = "ChangeReplicationFactor refused: ";
    public static final String DELETION = "DeleteTopic refused: ";

    private TopicRefusalReasons() {
    }
}
