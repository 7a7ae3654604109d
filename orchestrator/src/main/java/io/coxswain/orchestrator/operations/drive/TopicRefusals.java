package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicRefusalStatus;
import io.coxswain.orchestrator.executor.CauseTracker;
import io.coxswain.commands.TopicRefusalReasons;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic's change that Kafka refuses (a value it cannot parse, an unknown key, a policy, a partition count or replica
 * assignment it will not take, a deletion it does not allow) is contained to that topic: the other topics and the rest of the
 * topic step go on. As with live broker keys ({@link BrokerConfigSync}, {@link RefusedChanges}) the refusal is recorded once with
 * Kafka's reason, the same change is tried again after a growing delay, and recorded again only when Kafka's answer changes or
 * the change goes through; a different change of the topic (an UpdateTopicConfig that fixes it) is tried at once. The refused
 * topics are reported to the state ({@code TopicsRefusedObserved}, {@code status.topicRefusals}) when they change, so the person
 * who asked sees it. Each {@link Kind} of change of a topic is held apart (a refused partition increase does not stop its
 * configuration being made); the observation has one reason per topic, which names the kind (but for a creation or
 * configuration change, Kafka's answer alone as before) and joins them when several are refused.
 *
 * <p>Not a refusal, and so failing the pass as before: any answer not in {@link #refusal}'s list (a timeout, a broker going
 * away, a topic still being deleted or created meanwhile, an authorization or version problem).
 */
final class TopicRefusals {

    private static final Logger log = LoggerFactory.getLogger(TopicRefusals.class);

    /** The changes of a topic that Kafka may refuse, each tried and reported apart. */
    enum Kind {
        /** A creation, or a configuration change: the reason is Kafka's answer alone (as status.topicRefusals always said). */
        CONFIG("", "fix the topic with UpdateTopicConfig, or DeleteTopic"),
        PARTITIONS(TopicRefusalReasons.PARTITIONS, "bring back the brokers or lift the policy Kafka names, or DeleteTopic"),
        REPLICATION(TopicRefusalReasons.REPLICATION, "bring back the brokers Kafka names, or ChangeReplicationFactor to the factor the"
                + " topic has"),
        /** The one kind of a topic the state no longer has: the fold keeps it by its reason's beginning. */
        DELETION(TopicRefusalReasons.DELETION, "allow it on the brokers (delete.topic.enable, the policy Kafka names), or CreateTopic it again"
                + " to keep it");

        private final String prefix;
        private final String fix;

        Kind(String prefix, String fix) {
            this.prefix = prefix;
            this.fix = fix;
        }

        /** Where in {@link RefusedChanges} (per cluster): a topic's name has no space. */
        String place(String topic) {
            return this == CONFIG ? topic : topic + " " + name();
        }
    }

    /**
     * One change to one topic: the action recorded before it is made, why, and its detail, which also tells one change
     * from another (it names the values, so a corrected value is a new change).
     */
    record Change(Kind kind, ResourceAction action, String topic, String reason, String detail) {
    }

    private static final List<Class<? extends ApiException>> REFUSALS = List.of(InvalidConfigurationException.class,
            PolicyViolationException.class, InvalidRequestException.class, InvalidTopicException.class, InvalidPartitionsException.class,
            InvalidReplicationFactorException.class, InvalidReplicaAssignmentException.class, TopicDeletionDisabledException.class);

    private final OperationRecorder recorder;
    private final LongSupplier nanoClock;
    /** Per cluster, per topic and kind ({@link Kind#place}): the change Kafka refused last and when to try it again. */
    private final Map<String, RefusedChanges> changes = new ConcurrentHashMap<>();
    /** Per cluster, per topic, per kind: Kafka's answer now, and the command first refused. */
    private final Map<String, Map<String, Map<Kind, TopicRefusalObserved>>> refused = new ConcurrentHashMap<>();
    /** Per cluster, the refused topics this executor recorded last: the fold may not show them yet, and they are not recorded twice. */
    private final Map<String, Map<String, TopicRefusalObserved>> reported = new ConcurrentHashMap<>();

    TopicRefusals(OperationRecorder recorder, LongSupplier nanoClock) {
        this.recorder = recorder;
        this.nanoClock = nanoClock;
    }

    /**
     * Records the change and makes it with {@code call}, unless Kafka refused this very change and the delay after that is
     * not over.
     *
     * @return true when Kafka took it; false when it refused it, now or before (the topic is then reported refused)
     * @throws AdminCalls.AdminCallFailed when the call failed without Kafka refusing the request: the pass fails, as before
     */
    boolean make(ClusterState state, Change change, String cause, Runnable call) {
        String cluster = state.getClusterId();
        String topic = change.topic();
        Kind kind = change.kind();
        String place = kind.place(topic);
        RefusedChanges tried = changes.computeIfAbsent(cluster, c -> new RefusedChanges(nanoClock));
        Map<Kind, TopicRefusalObserved> now = refused.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        TopicRefusalObserved before = now.get(kind);
        // an executor that took over (or restarted) finds the refusal in the log: Kafka's same answer is not recorded again as
        // if it were news; the change itself is recorded before it is made, as any other (it may not be the one refused)
        TopicRefusalStatus inherited = before == null ? state.getStatus().getTopicRefusals().get(topic) : null;
        boolean taken = tried.attempt(place, change.detail(), TopicRefusals::refusal, call, new RefusedChanges.Telling() {
            @Override
            public void making() {
                recorder.topicAction(cluster, change.action(), topic, change.reason(), cause, change.detail());
            }

            @Override
            public void refused(String error, boolean news, boolean sameChange) {
                String commandId = sameChange && before != null ? before.getCommandId()
                        : inherited != null ? inherited.getCommandId()
                        : CauseTracker.isObservation(cause) ? null : cause;
                String reason = kind.prefix + error;
                now.put(kind, new TopicRefusalObserved(reason, commandId));
                // the state's reason joins the kinds refused: Kafka's answer to this one is in it
                if (news && (inherited == null || !inherited.getReason().contains(reason))) {
                    recorder.topicAction(cluster, change.action(), topic, "refused by Kafka: " + error + "; tried again after a growing delay (at most "
                            + RefusedChanges.MAX_DELAY.toMinutes() + " min), recorded again only if the answer changes; " + kind.fix, cause,
                            change.detail());
                }
                log.warn("cluster {}: Kafka refused {} of topic {}{}: {}; the other topics go on, this one is tried again in {} s."
                        + " To end it: {}", cluster, what(change), topic, change.detail() == null ? "" : " (" + change.detail() + ")", error,
                        tried.delay(place).toSeconds(), kind.fix);
            }

            @Override
            public void takenAfterRefusal() {
                recorder.topicAction(cluster, change.action(), topic, done(change) + " after Kafka had refused it", cause, change.detail());
            }
        });
        if (taken) {
            aligned(cluster, topic, kind);
        }
        return taken;
    }

    private static String what(Change change) {
        return switch (change.kind()) {
            case CONFIG -> change.action() == ResourceAction.CREATE ? "the creation" : "the configuration change";
            case PARTITIONS -> "the partition increase";
            case REPLICATION -> "the replica reassignment";
            case DELETION -> "the deletion";
        };
    }

    private static String done(Change change) {
        return switch (change.action()) {
            case CREATE -> "created";
            case DELETE -> "deleted";
            default -> change.kind() == Kind.REPLICATION ? "submitted" : "applied";
        };
    }

    /**
     * Kafka's answers that say this topic cannot be as asked, now: a value or key it refuses, a policy, a name, partition
     * count or replica assignment it will not take, a deletion the brokers do not allow, or a replication factor over the
     * brokers up (the fold refuses one over the cluster's brokers, so this one means brokers are down: the topic waits,
     * reported, and is changed within the delay of their return). Any other answer (a timeout, a controller moving, an
     * authorization or version problem, a server error, a topic still being deleted or already gone) says nothing about the
     * topic: the pass fails and is tried again, as before.
     */
    static boolean refusal(Throwable answer) {
        // Kafka's AuthorizationException extends InvalidConfigurationException: Coxswain's own access, not the topic
        return !(answer instanceof AuthorizationException) && REFUSALS.stream().anyMatch(kind -> kind.isInstance(answer));
    }

    /** The topic is as the state asks of this kind (or no longer asked for): whatever Kafka refused of that is over. */
    void aligned(String cluster, String topic, Kind kind) {
        RefusedChanges tried = changes.get(cluster);
        if (tried != null) {
            tried.clear(kind.place(topic));
        }
        Map<Kind, TopicRefusalObserved> now = refused.getOrDefault(cluster, Map.of()).get(topic);
        if (now != null) {
            now.remove(kind);
        }
    }

    /**
     * Records the topics Kafka refuses when they differ from what the log says and from what this executor recorded last
     * (so once per change, and once with none when the last one is fixed or deleted).
     *
     * @return whether no managed topic is refused: the state's topics are what runs
     */
    boolean report(ClusterState state) {
        String cluster = state.getClusterId();
        Map<String, TopicRefusalObserved> refusals = new TreeMap<>();
        refused.getOrDefault(cluster, Map.of()).forEach((topic, kinds) -> {
            // a topic the state no longer has is refused only its deletion; one it has again (created anew) no longer that
            boolean wanted = state.getTopics().containsKey(topic);
            List.copyOf(kinds.keySet()).stream().filter(k -> wanted == (k == Kind.DELETION)).forEach(k -> aligned(cluster, topic, k));
            joined(kinds).ifPresent(r -> refusals.put(topic, r));
        });
        refused.getOrDefault(cluster, Map.of()).values().removeIf(Map::isEmpty);
        if (TopicSync.changed(reported, cluster, refusals, sameAs(refusals, state.getStatus().getTopicRefusals()))) {
            recorder.topicsRefused(cluster, refusals);
        }
        return refusals.isEmpty();
    }

    /** One topic's refusals as its one entry of the observation: the reasons joined in the order of the kinds, the first's command. */
    private static Optional<TopicRefusalObserved> joined(Map<Kind, TopicRefusalObserved> kinds) {
        List<TopicRefusalObserved> each = Arrays.stream(Kind.values()).map(kinds::get).filter(Objects::nonNull).toList();
        return each.isEmpty() ? Optional.empty() : Optional.of(new TopicRefusalObserved(
                String.join("; ", each.stream().map(TopicRefusalObserved::getReason).toList()), each.get(0).getCommandId()));
    }

    /** Whether the state's {@code status.topicRefusals} already says what {@code refusals} does. */
    static boolean sameAs(Map<String, TopicRefusalObserved> refusals, Map<String, TopicRefusalStatus> status) {
        return refusals.keySet().equals(status.keySet()) && refusals.entrySet().stream().allMatch(e -> {
            TopicRefusalStatus s = status.get(e.getKey());
            return s.getReason().equals(e.getValue().getReason()) && Objects.equals(s.getCommandId(), e.getValue().getCommandId());
        });
    }

    void forget(String cluster) {
        changes.remove(cluster);
        refused.remove(cluster);
        reported.remove(cluster);
    }
}
