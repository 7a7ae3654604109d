package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.PARTITIONS_CANNOT_DECREASE;
import static io.coxswain.avro.event.RejectionCode.REPLICATION_FACTOR_TOO_HIGH;
import static io.coxswain.avro.event.RejectionCode.TOPIC_EXISTS;
import static io.coxswain.avro.event.RejectionCode.TOPIC_NOT_FOUND;

import io.coxswain.avro.command.CreateTopic;
import io.coxswain.avro.command.DeleteTopic;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.UpdateTopicConfig;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicSpec;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DECIDE and FOLD for the topics a cluster manages, {@code topics}: created, reconfigured, given more
 * partitions, deleted. None of them waits for a running operation here: they restart no pod, and the
 * executor itself holds topic changes back until an operation ends (a new partition could otherwise
 * land on a broker that a scale-in is draining).
 */
final class TopicControl {

    private TopicControl() {
    }

    static boolean handles(Object p) {
        return p instanceof CreateTopic || p instanceof UpdateTopicConfig || p instanceof IncreasePartitions || p instanceof DeleteTopic;
    }

    /** DECIDE for a payload this {@link #handles}; its shape (name, partitions, keys) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String id = state.getClusterId();
        if (p instanceof CreateTopic t) {
            if (state.getTopics().containsKey(t.getName())) {
                return reject(TOPIC_EXISTS, "topic '" + t.getName() + "' already exists on cluster '" + id + "'; use UpdateTopicConfig to change it");
            }
            int brokers = state.getSpec().getBrokers();
            if (t.getReplicationFactor() > brokers) {
                return reject(REPLICATION_FACTOR_TOO_HIGH, "replication factor " + t.getReplicationFactor() + " for topic '" + t.getName()
                        + "' is more than the " + brokers + " brokers of cluster '" + id + "'; lower it or scale the brokers first");
            }
            return Optional.empty();
        }
        String name = name(p);
        TopicSpec topic = state.getTopics().get(name);
        if (topic == null) {
            return reject(TOPIC_NOT_FOUND, "topic '" + name + "' does not exist on cluster '" + id + "'");
        }
        if (p instanceof UpdateTopicConfig t) {
            return Decide.changes(topic.getConfig(), t.getSet(), t.getRemove()) ? Optional.empty()
                    : reject(NO_CHANGE, "topic '" + name + "' already has this configuration");
        }
        if (p instanceof IncreasePartitions t) {
            return partitions(id, name, topic.getPartitions(), t.getPartitions());
        }
        return Optional.empty(); // DeleteTopic of a topic the state has
    }

    /** Kafka adds partitions and never removes them: the only way to fewer is another topic. */
    private static Optional<Rejection> partitions(String id, String name, int current, int wanted) {
        if (wanted == current) {
            return reject(NO_CHANGE, "topic '" + name + "' of cluster '" + id + "' already has " + current + " partitions");
        }
        if (wanted < current) {
            return reject(PARTITIONS_CANNOT_DECREASE, "topic '" + name + "' of cluster '" + id + "' has " + current + " partitions and Kafka"
                    + " cannot remove partitions, so it cannot go down to " + wanted + "; ask for more than " + current + ", or, to have "
                    + wanted + ", create a new topic with " + wanted + " partitions (CreateTopic), move its producers and consumers there,"
                    + " then delete this one (DeleteTopic)");
        }
        return Optional.empty();
    }

    /** FOLD: replaces {@code topics} (never changes it, or a topic in it, in place: see {@link NextState}). */
    static void apply(ClusterState next, Object p) {
        Map<String, TopicSpec> topics = new TreeMap<>(next.getTopics());
        if (p instanceof CreateTopic t) {
            topics.put(t.getName(), new TopicSpec(t.getPartitions(), t.getReplicationFactor(), new TreeMap<>(t.getConfig())));
        } else if (p instanceof UpdateTopicConfig t) {
            TopicSpec topic = topics.get(t.getName());
            topics.put(t.getName(), TopicSpec.newBuilder(topic).setConfig(Evolve.changed(topic.getConfig(), t.getSet(), t.getRemove())).build());
        } else if (p instanceof IncreasePartitions t) {
            topics.put(t.getName(), TopicSpec.newBuilder(topics.get(t.getName())).setPartitions(t.getPartitions()).build());
        } else {
            topics.remove(((DeleteTopic) p).getName());
        }
        next.setTopics(topics);
    }

    private static String name(Object p) {
        if (p instanceof UpdateTopicConfig t) {
            return t.getName();
        }
        if (p instanceof IncreasePartitions t) {
            return t.getName();
        }
        return ((DeleteTopic) p).getName();
    }

    private static Optional<Rejection> reject(RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
