package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.INVALID_COMMAND;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.PARTITIONS_CANNOT_DECREASE;
import static io.coxswain.avro.event.RejectionCode.REPLICATION_FACTOR_TOO_HIGH;
import static io.coxswain.avro.event.RejectionCode.TOPIC_EXISTS;
import static io.coxswain.avro.event.RejectionCode.TOPIC_NOT_FOUND;

import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.CreateTopic;
import io.coxswain.avro.command.DeleteTopic;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.command.UpdateTopicConfig;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.TopicRefusalStatus;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.commands.TopicRefusalReasons;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * DECIDE and FOLD for the topics a cluster manages, {@code topics}: created, reconfigured, given more
 * partitions or another replication factor, deleted. None of them waits for a running operation here:
 * they restart no pod, and the executor itself holds topic changes back until an operation ends (a new
 * partition or replica could otherwise land on a broker that a scale-in is draining).
 */
final class TopicControl {

    private static final String MIN_INSYNC = "min.insync.replicas";

    private TopicControl() {
    }

    static boolean handles(Object p) {
        return p instanceof CreateTopic || p instanceof UpdateTopicConfig || p instanceof IncreasePartitions
                || p instanceof ChangeReplicationFactor || p instanceof DeleteTopic;
    }

    /** DECIDE for a payload this {@link #handles}; its shape (name, partitions, keys) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String id = state.getClusterId();
        if (p instanceof CreateTopic t) {
            if (state.getTopics().containsKey(t.getName())) {
                return reject(TOPIC_EXISTS, "topic '" + t.getName() + "' already exists on cluster '" + id + "'; use UpdateTopicConfig to change it");
            }
            return fits(state, t.getName(), t.getReplicationFactor());
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
        if (p instanceof ChangeReplicationFactor t) {
            return replicationFactor(state, name, topic, t.getReplicationFactor());
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

    /** A factor no higher than the brokers the cluster is to have (its spec, so a scale-in already accepted counts). */
    private static Optional<Rejection> fits(ClusterState state, String name, int replicationFactor) {
        int brokers = state.getSpec().getBrokers();
        if (replicationFactor > brokers) {
            return reject(REPLICATION_FACTOR_TOO_HIGH, "replication factor " + replicationFactor + " for topic '" + name
                    + "' is more than the " + brokers + " brokers of cluster '" + state.getClusterId() + "'; lower it or scale the brokers first");
        }
        return Optional.empty();
    }

    /**
     * Up or down, within the brokers; and never to a factor the topic's {@code min.insync.replicas}
     * (its own, else the brokers' setting in the spec) reaches: acks=all producers need that many
     * replicas in sync, so they would stop whenever one replica is down, which every rolling restart
     * brings, or never write at all if it is more. A {@code min.insync.replicas} of 1, Kafka's
     * default, holds no factor back.
     */
    private static Optional<Rejection> replicationFactor(ClusterState state, String name, TopicSpec topic, int wanted) {
        String id = state.getClusterId();
        if (wanted == topic.getReplicationFactor()) {
            return reject(NO_CHANGE, "topic '" + name + "' of cluster '" + id + "' already has replication factor " + wanted);
        }
        Optional<Rejection> tooHigh = fits(state, name, wanted);
        if (tooHigh.isPresent()) {
            return tooHigh;
        }
        String own = topic.getConfig().get(MIN_INSYNC);
        String source = own != null ? "the topic's" : "the brokers'";
        OptionalInt minIsr = wholeNumber(own != null ? own : state.getSpec().getBrokerConfig().get(MIN_INSYNC));
        if (minIsr.isPresent() && minIsr.getAsInt() > 1 && minIsr.getAsInt() >= wanted) {
            int m = minIsr.getAsInt();
            return reject(INVALID_COMMAND, "replication factor " + wanted + " for topic '" + name + "' of cluster '" + id + "' is not above "
                    + source + " " + MIN_INSYNC + "=" + m + ": producers with acks=all " + (m > wanted ? "could never write to it"
                    : "could not write to it while any one replica is down, as in every rolling restart") + "; lower " + MIN_INSYNC
                    + " first (UpdateTopicConfig " + name + " " + MIN_INSYNC + "=" + Math.max(1, wanted - 1) + "), or ask for a factor above " + m);
        }
        return Optional.empty();
    }

    private static OptionalInt wholeNumber(String value) {
        try {
            return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty(); // Kafka refuses it on the topic; not this rule's to judge
        }
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
        } else if (p instanceof ChangeReplicationFactor t) {
            topics.put(t.getName(), TopicSpec.newBuilder(topics.get(t.getName())).setReplicationFactor(t.getReplicationFactor()).build());
        } else {
            String name = ((DeleteTopic) p).getName();
            topics.remove(name);
            if (next.getStatus().getReplication().containsKey(name)) { // a change of factor no longer under way
                Map<String, TopicReplicationStatus> replication = new TreeMap<>(next.getStatus().getReplication());
                replication.remove(name);
                next.getStatus().setReplication(replication);
            }
            if (next.getStatus().getTopicRefusals().containsKey(name)) { // nothing left for Kafka to refuse
                Map<String, TopicRefusalStatus> refusals = new TreeMap<>(next.getStatus().getTopicRefusals());
                refusals.remove(name);
                next.getStatus().setTopicRefusals(refusals);
            }
        }
        next.setTopics(topics);
    }

    /**
     * FOLD of a {@link ReplicationObserved}: how far each topic short of its factor got. A topic keeps its
     * {@code since} while it stays short of the same factor; one the observation leaves out has its factor.
     */
    static void replicationObserved(ClusterStatus status, ReplicationObserved observed, Instant at) {
        Map<String, TopicReplicationStatus> replication = new TreeMap<>();
        observed.getTopics().forEach((topic, o) -> {
            TopicReplicationStatus before = status.getReplication().get(topic);
            Instant since = before != null && before.getFactor() == o.getFactor() ? before.getSince() : at;
            replication.put(topic, new TopicReplicationStatus(o.getFactor(), o.getPartitions(), o.getAtFactor(), o.getMoving(), o.getBlocked(),
                    since, at));
        });
        status.setReplication(replication);
    }

    /**
     * FOLD of a {@link TopicsRefusedObserved}: the managed topics Kafka refuses to create or reconfigure, with its answer. A topic
     * keeps its {@code since} while it stays refused (whatever the answer: it has not been what was asked since then); one the
     * observation leaves out is created and configured as asked. A topic the state no longer has (deleted after the executor
     * looked) is left out: nothing is refused any more; unless Kafka refuses its deletion ({@link TopicRefusalReasons#DELETION}).
     */
    static void refusalsObserved(ClusterState next, TopicsRefusedObserved observed, Instant at) {
        Map<String, TopicRefusalStatus> refusals = new TreeMap<>();
        observed.getTopics().forEach((topic, o) -> {
            if (next.getTopics().containsKey(topic) != o.getReason().startsWith(TopicRefusalReasons.DELETION)) {
                TopicRefusalStatus before = next.getStatus().getTopicRefusals().get(topic);
                refusals.put(topic, new TopicRefusalStatus(o.getReason(), o.getCommandId(), before != null ? before.getSince() : at, at));
            }
        });
        next.getStatus().setTopicRefusals(refusals);
    }

    private static String name(Object p) {
        if (p instanceof UpdateTopicConfig t) {
            return t.getName();
        }
        if (p instanceof IncreasePartitions t) {
            return t.getName();
        }
        if (p instanceof ChangeReplicationFactor t) {
            return t.getName();
        }
        return ((DeleteTopic) p).getName();
    }

    private static Optional<Rejection> reject(RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
