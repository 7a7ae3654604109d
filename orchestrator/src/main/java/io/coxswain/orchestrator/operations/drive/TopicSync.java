package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics of the state applied with the Admin client, level-triggered: missing topics created,
 * configuration brought to the state's, topics deleted from the state deleted. Topics the state
 * never named are recorded ({@code TopicsObserved}, folded into {@code status.unmanagedTopics})
 * when their set differs from what the log already says, never deleted: Coxswain deletes only what
 * it was asked to manage, which is why deletion needs the state this executor saw before (a topic
 * seen in the state and then gone from it).
 */
final class TopicSync {

    private static final Logger log = LoggerFactory.getLogger(TopicSync.class);
    /** Settings operations write on topics for their own purposes; never "corrected" to the state. */
    private static final Set<String> OPERATIONS_KEYS = Set.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS);

    private final OperationRecorder recorder;
    private final Map<String, Set<String>> managed = new ConcurrentHashMap<>();
    /** The unmanaged set this executor recorded last: the folded state may not show it yet, and it is not recorded twice. */
    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();

    TopicSync(OperationRecorder recorder) {
        this.recorder = recorder;
    }

    void sync(ClusterState state, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, TopicSpec> wanted = state.getTopics();
        Set<String> existing = new TreeSet<>(AdminCalls.await("listTopics", admin.listTopics().names(), timeout));
        Set<String> before = managed.getOrDefault(cluster, Set.of());
        for (String gone : before) {
            if (!wanted.containsKey(gone) && existing.remove(gone)) {
                recorder.topicAction(cluster, ResourceAction.DELETE, gone, "DeleteTopic: the state no longer has topic " + gone, cause, null);
                AdminCalls.await("deleteTopics(" + gone + ")", admin.deleteTopics(List.of(gone)).all(), timeout);
            }
        }
        Set<String> known = new TreeSet<>(before);
        known.addAll(wanted.keySet());
        managed.put(cluster, known);
        for (Map.Entry<String, TopicSpec> t : wanted.entrySet()) {
            if (!existing.contains(t.getKey())) {
                TopicSpec spec = t.getValue();
                recorder.topicAction(cluster, ResourceAction.CREATE, t.getKey(), "CreateTopic: the state has topic " + t.getKey(), cause,
                        spec.getPartitions() + " partition(s), replication factor " + spec.getReplicationFactor() + ", config " + spec.getConfig());
                NewTopic topic = new NewTopic(t.getKey(), spec.getPartitions(), (short) spec.getReplicationFactor()).configs(spec.getConfig());
                AdminCalls.await("createTopics(" + t.getKey() + ")", admin.createTopics(List.of(topic)).all(), timeout);
            } else {
                alignConfig(cluster, t.getKey(), t.getValue().getConfig(), cause, admin, timeout);
            }
        }
        Set<String> unmanaged = new TreeSet<>(existing);
        unmanaged.removeAll(wanted.keySet());
        unmanaged.removeIf(n -> n.startsWith("__"));
        // on change only: compared with the log (so a restarted executor records nothing new) and with what this one just recorded
        boolean logSaysSo = unmanaged.equals(new TreeSet<>(state.getStatus().getUnmanagedTopics()));
        Set<String> recordedLast = reported.put(cluster, unmanaged);
        if (!logSaysSo && !unmanaged.equals(recordedLast)) {
            recorder.unmanagedTopics(cluster, List.copyOf(unmanaged));
            if (!unmanaged.isEmpty()) {
                log.warn("cluster {}: topics {} exist on the cluster but not in Coxswain's state; recorded, not deleted "
                        + "(create them with CreateTopic to manage them)", cluster, unmanaged);
            }
        }
    }

    private void alignConfig(String cluster, String topic, Map<String, String> wanted, String cause, Admin admin, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config live = AdminCalls.await("describeConfigs(" + topic + ")", admin.describeConfigs(List.of(resource)).all(), timeout).get(resource);
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
            return;
        }
        String detail = String.join(", ", ops.stream().map(o -> o.opType() + " " + o.configEntry().name()).toList());
        recorder.topicAction(cluster, ResourceAction.APPLY, topic, "UpdateTopicConfig: the state's configuration of topic " + topic, cause, detail);
        Map<ConfigResource, Collection<AlterConfigOp>> request = Map.of(resource, ops);
        AdminCalls.await("incrementalAlterConfigs(" + topic + ")", admin.incrementalAlterConfigs(request).all(), timeout);
    }

    void forget(String clusterId) {
        managed.remove(clusterId);
        reported.remove(clusterId);
    }
}
