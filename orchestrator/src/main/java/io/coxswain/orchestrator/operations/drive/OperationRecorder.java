package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.orchestrator.executor.ObservationSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an operation does to the command log, before and after it acts, so the fold turns
 * it into {@code status.operation} and a restarted executor knows where the operation stood.
 */
final class OperationRecorder {

    private static final Logger log = LoggerFactory.getLogger(OperationRecorder.class);

    private final ObservationSink sink;

    OperationRecorder(ObservationSink sink) {
        this.sink = sink;
    }

    void operation(RunningOperation op, OperationState state, String reason) {
        String id = sink.record(op.clusterId(), OperationObserved.newBuilder().setOperationId(op.id()).setOperation(op.type())
                .setState(state).setCauseCommandId(op.cause()).setReason(reason).build());
        log.info("cluster {}: operation {} {} {} (cause {}, recorded as {}){}", op.clusterId(), op.type(), op.id(), state, op.cause(), id,
                reason == null ? "" : ": " + reason);
    }

    void step(RunningOperation op, String step, StepState state, Integer node, String reason, Integer done, Integer total) {
        String id = sink.record(op.clusterId(), OperationStepObserved.newBuilder().setOperationId(op.id()).setStep(step).setState(state)
                .setNode(node).setReason(reason).setDone(done).setTotal(total).build());
        log.info("cluster {}: operation {} step '{}' {} node {} {}/{} (cause {}, recorded as {}){}", op.clusterId(), op.id(), step, state,
                node, done, total, op.cause(), id, reason == null ? "" : ": " + reason);
    }

    void action(RunningOperation op, ResourceAction action, String kind, String namespace, String name, String reason, String detail) {
        String id = sink.record(op.clusterId(), ResourceActionObserved.newBuilder().setAction(action).setKind(kind).setNamespace(namespace)
                .setName(name).setReason(reason).setCauseCommandId(op.cause()).setDetail(detail).build());
        log.info("cluster {}: {} {} {}/{} for operation {} ({}; cause {}, recorded as {})", op.clusterId(), action, kind, namespace, name,
                op.id(), reason, op.cause(), id);
    }

    /** A change to a topic of the managed cluster, outside any operation. */
    void topicAction(String clusterId, ResourceAction action, String topic, String reason, String cause, String detail) {
        clusterAction(clusterId, action, "KafkaTopic", null, topic, reason, cause, detail);
    }

    /**
     * A change outside any operation to something the state names: a topic, a user's Secret, a user's ACLs.
     *
     * @param namespace the Kubernetes namespace, or null for a resource of the managed Kafka cluster
     */
    void clusterAction(String clusterId, ResourceAction action, String kind, String namespace, String name, String reason, String cause,
                       String detail) {
        String id = sink.record(clusterId, ResourceActionObserved.newBuilder().setAction(action).setKind(kind).setNamespace(namespace)
                .setName(name).setReason(reason).setCauseCommandId(cause).setDetail(detail).build());
        log.info("cluster {}: {} {} {} ({}; cause {}, recorded as {})", clusterId, action, kind, name, reason, cause, id);
    }

    /** Topics on the managed cluster that the state does not name (a new set of them). */
    void unmanagedTopics(String clusterId, List<String> topics) {
        String id = sink.record(clusterId, TopicsObserved.newBuilder().setUnmanaged(topics).build());
        log.info("cluster {}: unmanaged topics now {} (recorded as {})", clusterId, topics, id);
    }

    /** What the Connect cluster reports of the state's connectors (a change of it), or why it could not be asked. */
    void connectors(String clusterId, ConnectorsObserved observed) {
        String id = sink.record(clusterId, observed);
        if (observed.getUnreachable() != null) {
            log.info("cluster {}: Connect could not be asked: {} (recorded as {})", clusterId, observed.getUnreachable(), id);
        } else {
            log.info("cluster {}: connectors now {}{} (recorded as {})", clusterId, ConnectorSync.describe(observed.getConnectors()),
                    observed.getUnmanaged().isEmpty() ? "" : "; not Coxswain's: " + observed.getUnmanaged(), id);
        }
        // recorded on change only, so said once: what the operator must do for each mirror that runs nothing
        observed.getMirrorsNotRunnable().forEach((mirror, why) -> log.warn("cluster {}: mirror {} runs nothing: {} (recorded as {})",
                clusterId, mirror, why, id));
    }

    /** A step of a consumer group offset reset: its plan before any offset moves, then its outcome. */
    void offsetReset(String clusterId, OffsetResetObserved o) {
        String id = sink.record(clusterId, o);
        int partitions = o.getPartitions().values().stream().mapToInt(List::size).sum();
        log.info("cluster {}: consumer group '{}' offset reset (command {}) {}, {} partition(s): {} (recorded as {})", clusterId, o.getGroup(),
                o.getCommandId(), o.getState(), partitions, o.getReason(), id);
    }

    /** How far the managed topics short of their replication factor got (a new look at them). */
    void replication(String clusterId, Map<String, TopicReplicationObserved> topics) {
        String id = sink.record(clusterId, ReplicationObserved.newBuilder().setTopics(topics).build());
        log.info("cluster {}: replication factor changes: {} (recorded as {})", clusterId, ReplicationProgress.describe(topics), id);
    }

    /** The managed topics Kafka refuses to create or reconfigure, with its answer (a change of them; none: every one fixed). */
    void topicsRefused(String clusterId, Map<String, TopicRefusalObserved> topics) {
        String id = sink.record(clusterId, TopicsRefusedObserved.newBuilder().setTopics(topics).build());
        log.info("cluster {}: topics Kafka refuses now: {} (recorded as {})", clusterId, topics.isEmpty() ? "none" : topics.keySet(), id);
    }

    /** An operation the world calls for, not started: the cluster's maintenance windows are closed until {@code until}. */
    void deferred(String clusterId, String type, String cause, Instant until, List<String> windows) {
        String id = sink.record(clusterId, OperationDeferred.newBuilder().setOperation(type).setCauseCommandId(cause).setUntil(until).build());
        log.info("cluster {}: {} (cause {}) waits for the next maintenance window, {} (windows {}; recorded as {}); send"
                + " SetMaintenanceWindows to change them", clusterId, type, cause, until, windows, id);
    }

    /** An operation recorded as deferred that the world no longer calls for. */
    void noLongerDeferred(String clusterId, String type, String cause) {
        String id = sink.record(clusterId, OperationDeferred.newBuilder().setOperation(type).setCauseCommandId(cause).setUntil(null).build());
        log.info("cluster {}: {} (cause {}) no longer waits for a maintenance window: nothing calls for it now (recorded as {})", clusterId,
                type, cause, id);
    }

    /** A broker configuration change applied live (no restart), outside any operation. */
    void configAction(String clusterId, String where, String reason, String cause, String detail) {
        String id = sink.record(clusterId, ResourceActionObserved.newBuilder().setAction(ResourceAction.APPLY).setKind(BrokerConfigSync.KIND)
                .setNamespace(null).setName(where).setReason(reason).setCauseCommandId(cause).setDetail(detail).build());
        log.info("cluster {}: APPLY broker configuration on {} ({}; {}; cause {}, recorded as {})", clusterId, where, reason, detail, cause, id);
    }
}
