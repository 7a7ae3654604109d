package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicRefusalStatus;
import io.coxswain.orchestrator.executor.CauseTracker;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic's creation or configuration change that Kafka refuses (a value it cannot parse, an unknown key, a policy) is
 * contained to that topic: the other topics and the rest of the topic step go on. As with live broker keys
 * ({@link BrokerConfigSync}, {@link RefusedChanges}) the refusal is recorded once with Kafka's reason, the same change is
 * tried again after a growing delay, and recorded again only when Kafka's answer changes or the change goes through; a
 * different change of the topic (an UpdateTopicConfig that fixes it) is tried at once. The refused topics are reported to
 * the state ({@code TopicsRefusedObserved}, {@code status.topicRefusals}) when they change, so the person who asked sees it.
 *
 * <p>Not a refusal, and so failing the pass as before: any answer not in {@link #refusal}'s list (a timeout, a broker going
 * away, a topic still being deleted or created meanwhile, an authorization or version problem).
 */
final class TopicRefusals {

    private static final Logger log = LoggerFactory.getLogger(TopicRefusals.class);

    /**
     * One change to one topic: the action recorded before it is made, why, and its detail, which also tells one change
     * from another (it names the values, so a corrected value is a new change).
     */
    record Change(ResourceAction action, String topic, String reason, String detail) {
    }

    private static final List<Class<? extends ApiException>> REFUSALS = List.of(InvalidConfigurationException.class,
            PolicyViolationException.class, InvalidRequestException.class, InvalidTopicException.class, InvalidPartitionsException.class,
            InvalidReplicationFactorException.class);

    private final OperationRecorder recorder;
    private final LongSupplier nanoClock;
    /** Per cluster, per topic: the change Kafka refused last and when to try it again. */
    private final Map<String, RefusedChanges> changes = new ConcurrentHashMap<>();
    /** Per cluster, the topics Kafka refuses now, with its answer and the command first refused. */
    private final Map<String, Map<String, TopicRefusalObserved>> refused = new ConcurrentHashMap<>();
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
        RefusedChanges tried = changes.computeIfAbsent(cluster, c -> new RefusedChanges(nanoClock));
        Map<String, TopicRefusalObserved> now = refused.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        TopicRefusalObserved before = now.get(topic);
        // an executor that took over (or restarted) finds the refusal in the log: Kafka's same answer is not recorded again as
        // if it were news; the change itself is recorded before it is made, as any other (it may not be the one refused)
        TopicRefusalStatus inherited = before == null ? state.getStatus().getTopicRefusals().get(topic) : null;
        boolean taken = tried.attempt(topic, change.detail(), TopicRefusals::refusal, call, new RefusedChanges.Telling() {
            @Override
            public void making() {
                recorder.topicAction(cluster, change.action(), topic, change.reason(), cause, change.detail());
            }

            @Override
            public void refused(String error, boolean news, boolean sameChange) {
                String commandId = sameChange && before != null ? before.getCommandId()
                        : inherited != null ? inherited.getCommandId()
                        : CauseTracker.isObservation(cause) ? null : cause;
                now.put(topic, new TopicRefusalObserved(error, commandId));
                if (news && (inherited == null || !inherited.getReason().equals(error))) {
                    recorder.topicAction(cluster, change.action(), topic, "refused by Kafka: " + error + "; tried again after a growing delay (at most "
                            + RefusedChanges.MAX_DELAY.toMinutes() + " min), recorded again only if the answer changes; fix the topic with"
                            + " UpdateTopicConfig, or DeleteTopic", cause, change.detail());
                }
                log.warn("cluster {}: Kafka refused {} of topic {} ({}): {}; the other topics go on, this one is tried again in {} s. Fix it with"
                        + " UpdateTopicConfig {} (set or remove the key Kafka names), or DeleteTopic {}", cluster,
                        change.action() == ResourceAction.CREATE ? "the creation" : "the configuration change", topic, change.detail(), error,
                        tried.delay(topic).toSeconds(), topic, topic);
            }

            @Override
            public void takenAfterRefusal() {
                recorder.topicAction(cluster, change.action(), topic, (change.action() == ResourceAction.CREATE ? "created" : "applied")
                        + " after Kafka had refused it", cause, change.detail());
            }
        });
        if (taken) {
            aligned(cluster, topic);
        }
        return taken;
    }

    /**
     * Kafka's answers that say this topic cannot be as asked, now: a value or key it refuses, a policy, a name or partition
     * count it will not take, or a replication factor over the brokers up (the fold refuses one over the cluster's brokers, so
     * this one means brokers are down: the topic waits, reported, and is created within the delay of their return). Any
     * other answer (a timeout, an authorization or version problem, a server error, a topic still being deleted) says
     * nothing about the topic: the pass fails and is tried again, as before.
     */
    static boolean refusal(Throwable answer) {
        // Kafka's AuthorizationException extends InvalidConfigurationException: Coxswain's own access, not the topic
        return !(answer instanceof AuthorizationException) && REFUSALS.stream().anyMatch(kind -> kind.isInstance(answer));
    }

    /** The topic is as the state asks (or no longer asked for): whatever Kafka refused of it is over. */
    void aligned(String cluster, String topic) {
        RefusedChanges tried = changes.get(cluster);
        if (tried != null) {
            tried.clear(topic);
        }
        Map<String, TopicRefusalObserved> now = refused.get(cluster);
        if (now != null) {
            now.remove(topic);
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
        Map<String, TopicRefusalObserved> now = refused.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        now.keySet().stream().filter(t -> !state.getTopics().containsKey(t)).toList().forEach(t -> aligned(cluster, t)); // deleted
        Map<String, TopicRefusalObserved> refusals = new TreeMap<>(now);
        if (TopicSync.changed(reported, cluster, refusals, sameAs(refusals, state.getStatus().getTopicRefusals()))) {
            recorder.topicsRefused(cluster, refusals);
        }
        return refusals.isEmpty();
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
