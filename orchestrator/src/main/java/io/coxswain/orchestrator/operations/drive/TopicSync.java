package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.commands.TopicRefusalReasons;
import io.coxswain.orchestrator.operations.drive.TopicRefusals.Kind;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics of the state applied with the Admin client, level-triggered: missing topics created,
 * partitions added up to the state's count, replicas added or dropped to the state's replication
 * factor ({@link ReplicationFactorSync}), configuration brought to the state's, topics deleted
 * from the state deleted. Topics the state
 * never named are recorded ({@code TopicsObserved}, folded into {@code status.unmanagedTopics})
 * when their set differs from what the log already says, never deleted: Coxswain deletes only what
 * it was asked to manage, which is why deletion needs the state this executor saw before (a topic
 * seen in the state and then gone from it) or a deletion Kafka refused, which the status keeps. A creation, configuration change, partition increase, replica
 * reassignment or deletion Kafka refuses holds up only its own topic ({@link TopicRefusals}).
 */
final class TopicSync {

    private static final Logger log = LoggerFactory.getLogger(TopicSync.class);
    /** Settings operations write on topics for their own purposes; never "corrected" to the state. */
    private static final Set<String> OPERATIONS_KEYS = Set.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS);

    private final OperationRecorder recorder;
    private final Map<String, Set<String>> managed = new ConcurrentHashMap<>();
    /** The unmanaged set this executor recorded last: the folded state may not show it yet, and it is not recorded twice. */
    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
    /** The replication progress this executor recorded last, per cluster: likewise not recorded twice. */
    private final Map<String, Map<String, TopicReplicationObserved>> reportedProgress = new ConcurrentHashMap<>();
    /** Per cluster, the topics found with more partitions than the state, and the count last warned of. */
    private final Map<String, Map<String, Integer>> overgrown = new ConcurrentHashMap<>();

    private final ReplicationFactorSync replication;
    private final TopicRefusals refusals;

    TopicSync(OperationRecorder recorder) {
        this(recorder, DriveSettings.defaults().throttleBytes(), System::nanoTime);
    }

    /**
     * @param throttleBytes the replication throttle while a replication factor change copies data, bytes per second per broker
     * @param nanoClock     when a change Kafka refused may be tried again ({@link RefusedChanges})
     */
    TopicSync(OperationRecorder recorder, long throttleBytes, LongSupplier nanoClock) {
        this.recorder = recorder;
        this.refusals = new TopicRefusals(recorder, nanoClock);
        this.replication = new ReplicationFactorSync(recorder, throttleBytes, refusals);
    }

    /** @return false while Kafka refuses a change of a topic (the state's topics are then not what runs): not acted on */
    boolean sync(ClusterState state, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, TopicSpec> wanted = state.getTopics();
        Set<String> existing = new TreeSet<>(AdminCalls.await("listTopics", admin.listTopics().names(), timeout));
        Set<String> before = managed.getOrDefault(cluster, Set.of());
        for (String gone : toDelete(state, before)) {
            if (existing.remove(gone)) {
                refusals.make(state, new TopicRefusals.Change(Kind.DELETION, ResourceAction.DELETE, gone, "DeleteTopic: the state no longer has topic "
                        + gone, null), cause, () -> AdminCalls.await("deleteTopics(" + gone + ")", admin.deleteTopics(List.of(gone)).all(), timeout));
            } else {
                refusals.aligned(cluster, gone, Kind.DELETION); // gone already (by hand, say): deleted, nothing refused any more
            }
        }
        Set<String> known = new TreeSet<>(before);
        known.addAll(wanted.keySet());
        managed.put(cluster, known);
        List<String> present = new ArrayList<>();
        Map<String, TopicReplicationObserved> progress = Map.of();
        for (Map.Entry<String, TopicSpec> t : wanted.entrySet()) {
            if (!existing.contains(t.getKey())) {
                TopicSpec spec = t.getValue();
                Map<String, String> config = new TreeMap<>(spec.getConfig()); // in key order: the same change reads the same each pass
                NewTopic topic = new NewTopic(t.getKey(), spec.getPartitions(), (short) spec.getReplicationFactor()).configs(config);
                refusals.make(state, new TopicRefusals.Change(Kind.CONFIG, ResourceAction.CREATE, t.getKey(), "CreateTopic: the state has topic " + t.getKey(),
                                spec.getPartitions() + " partition(s), replication factor " + spec.getReplicationFactor() + ", config " + config), cause,
                        () -> AdminCalls.await("createTopics(" + t.getKey() + ")", admin.createTopics(List.of(topic)).all(), timeout));
            } else {
                present.add(t.getKey());
            }
        }
        if (!present.isEmpty()) { // one describe of each kind per pass for all the topics, not one per topic
            Map<String, TopicDescription> live = AdminCalls.await("describeTopics(" + present.size() + " topics)",
                    admin.describeTopics(present).allTopicNames(), timeout);
            List<ConfigResource> resources = present.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<String, Config> configs = new TreeMap<>();
            AdminCalls.await("describeConfigs(" + present.size() + " topics)", admin.describeConfigs(resources).all(), timeout)
                    .forEach((resource, config) -> configs.put(resource.name(), config));
            alignPartitions(state, live, cause, admin, timeout);
            progress = replication.align(state, live, configs, cause, admin, timeout);
            for (ConfigResource resource : resources) {
                alignConfig(state, resource, configs.get(resource.name()), cause, admin, timeout);
            }
        }
        reportProgress(state, progress);
        boolean noneRefused = refusals.report(state);
        Set<String> unmanaged = new TreeSet<>(existing);
        unmanaged.removeAll(wanted.keySet());
        unmanaged.removeIf(n -> n.startsWith("__"));
        if (changed(reported, cluster, unmanaged, unmanaged.equals(new TreeSet<>(state.getStatus().getUnmanagedTopics())))) {
            recorder.unmanagedTopics(cluster, List.copyOf(unmanaged));
            if (!unmanaged.isEmpty()) {
                log.warn("cluster {}: topics {} exist on the cluster but not in Coxswain's state; recorded, not deleted "
                        + "(create them with CreateTopic to manage them)", cluster, unmanaged);
            }
        }
        return noneRefused;
    }

    /**
     * The topics to delete: those this executor saw in the state and the state no longer has, and those whose deletion Kafka
     * refused as the status says (read from the log, so an executor that restarted or took the cluster over, which saw none of
     * them in the state, still deletes them rather than leave them to be taken for topics Coxswain never managed).
     */
    private static Set<String> toDelete(ClusterState state, Set<String> seen) {
        Set<String> gone = new TreeSet<>(seen);
        state.getStatus().getTopicRefusals().forEach((topic, refusal) -> {
            if (refusal.getReason().startsWith(TopicRefusalReasons.DELETION)) {
                gone.add(topic);
            }
        });
        gone.removeAll(state.getTopics().keySet());
        return gone;
    }

    /** How far the topics short of their replication factor got: on change only, like the unmanaged topics. */
    private void reportProgress(ClusterState state, Map<String, TopicReplicationObserved> progress) {
        if (changed(reportedProgress, state.getClusterId(), progress, ReplicationProgress.sameAs(progress, state.getStatus().getReplication()))) {
            recorder.replication(state.getClusterId(), progress);
        }
    }

    /**
     * Whether {@code now} is to be recorded for the cluster: on change only, compared with the log ({@code logSaysSo}:
     * a restarted executor records nothing new) and with what this executor recorded last (the fold may not show it yet).
     */
    static <T> boolean changed(Map<String, T> recordedLast, String cluster, T now, boolean logSaysSo) {
        T last = recordedLast.put(cluster, now);
        return !logSaysSo && !now.equals(last);
    }

    /** Drops the replicas beyond the state's factor of the managed topics the cluster has: see {@link ReplicationFactorSync#dropExtraReplicas}. */
    void dropExtraReplicas(ClusterState state, String cause, Admin admin, Duration timeout) {
        Set<String> present = new TreeSet<>(AdminCalls.await("listTopics", admin.listTopics().names(), timeout));
        present.retainAll(state.getTopics().keySet());
        if (!present.isEmpty()) {
            Map<String, TopicDescription> live = AdminCalls.await("describeTopics(" + present.size() + " topics)",
                    admin.describeTopics(present).allTopicNames(), timeout);
            replication.dropExtraReplicas(state, live, cause, admin, timeout);
        }
    }

    /**
     * Adds the partitions the state asks for beyond what the cluster has, with one describeTopics for
     * every managed topic the cluster has. A topic with more partitions than the state (added by hand)
     * is left as it is, since Kafka cannot remove partitions: it is logged once per count, not at
     * every pass, and never retried as an error.
     */
    private void alignPartitions(ClusterState state, Map<String, TopicDescription> live, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, Integer> warned = overgrown.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        for (String topic : live.keySet()) {
            int has = live.get(topic).partitions().size();
            int asked = state.getTopics().get(topic).getPartitions();
            if (has < asked) {
                refusals.make(state, new TopicRefusals.Change(Kind.PARTITIONS, ResourceAction.UPDATE, topic, "IncreasePartitions: topic " + topic
                                + " has " + has + " partitions on the cluster, the state asks for " + asked, "partitions " + has + " → " + asked), cause,
                        () -> AdminCalls.await("createPartitions(" + topic + ")", admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(asked)))
                                .all(), timeout));
                warned.remove(topic);
                continue;
            }
            refusals.aligned(cluster, topic, Kind.PARTITIONS); // nothing to ask Kafka: whatever it refused is over
            if (has > asked) {
                if (!Integer.valueOf(has).equals(warned.put(topic, has))) {
                    log.warn("cluster {}: topic {} has {} partitions on the cluster but {} in Coxswain's state (added outside Coxswain?); Kafka cannot"
                            + " remove partitions, so they stay: send IncreasePartitions {} {} to make the state say what the cluster has",
                            cluster, topic, has, asked, topic, has);
                }
            } else {
                warned.remove(topic);
            }
        }
    }

    private void alignConfig(ClusterState state, ConfigResource resource, Config live, String cause, Admin admin, Duration timeout) {
        String topic = resource.name();
        Map<String, String> wanted = new TreeMap<>(state.getTopics().get(topic).getConfig());
        List<AlterConfigOp> ops = new ArrayList<>();
        wanted.forEach((k, v) -> {
            ConfigEntry e = live.get(k);
            if (e == null || !Objects.equals(e.value(), v)) {
                ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
            }
        });
        for (ConfigEntry e : live.entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !wanted.containsKey(e.name()) && !OPERATIONS_KEYS.contains(e.name())) {
                ops.add(new AlterConfigOp(new ConfigEntry(e.name(), ""), AlterConfigOp.OpType.DELETE));
            }
        }
        if (ops.isEmpty()) {
            refusals.aligned(state.getClusterId(), topic, Kind.CONFIG);
            return;
        }
        // with the values: a corrected value is another change, tried at once even while a refused one waits
        String detail = String.join(", ", ops.stream().map(o -> o.opType() == AlterConfigOp.OpType.SET
                ? "SET " + o.configEntry().name() + "=" + o.configEntry().value() : o.opType() + " " + o.configEntry().name()).toList());
        Map<ConfigResource, Collection<AlterConfigOp>> request = Map.of(resource, ops);
        refusals.make(state, new TopicRefusals.Change(Kind.CONFIG, ResourceAction.APPLY, topic, "UpdateTopicConfig: the state's configuration of topic " + topic,
                detail), cause, () -> AdminCalls.await("incrementalAlterConfigs(" + topic + ")", admin.incrementalAlterConfigs(request).all(), timeout));
    }

    void forget(String clusterId) {
        managed.remove(clusterId);
        reported.remove(clusterId);
        reportedProgress.remove(clusterId);
        overgrown.remove(clusterId);
        replication.forget(clusterId);
        refusals.forget(clusterId);
    }
}
