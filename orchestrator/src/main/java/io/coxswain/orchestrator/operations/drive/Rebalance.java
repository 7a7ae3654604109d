package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.StepState;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.balance.BalancePlan;
import io.coxswain.orchestrator.operations.balance.BalancePlanner;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.balance.ReassignmentProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Moves data until the planner has nothing left to move: plan, throttle, submit, wait until no
 * reassignment is in flight, plan again. A resumed driver forgets its plan but not the world: it
 * waits for what is still moving, then plans from where the data is, so nothing is submitted twice.
 */
final class Rebalance {

    /** Per operation: the plan being executed and the progress last recorded. */
    private final Map<String, Moving> moving = new ConcurrentHashMap<>();

    private record Moving(ReassignmentExecutor executor, int recordedDone) {
    }

    /**
     * @param throttleBytes the replication throttle while data moves, bytes per second per broker
     * @return empty when balanced (throttles removed, preferred leaders elected); else what the step came to
     */
    Optional<Outcome> step(DriveContext c, String step, Function<ClusterSnapshot, BalancePlanner> planner, long throttleBytes) {
        return step(c, step, planner, throttleBytes, null);
    }

    /**
     * As {@link #step(DriveContext, String, Function, long)}, saying {@code why} (when not null) in the step that submits a plan. A plan
     * the remaining brokers cannot hold (a topic wider than they are, created since the operation was accepted) fails the operation.
     */
    Optional<Outcome> step(DriveContext c, String step, Function<ClusterSnapshot, BalancePlanner> planner, long throttleBytes, String why) {
        Moving m = moving.get(c.op().id());
        if (m != null) {
            ReassignmentProgress p = m.executor().progress();
            if (!p.done()) {
                if (p.moved() != m.recordedDone()) {
                    c.recorder().step(c.op(), step, StepState.STARTED, null, p.toString(), p.moved(), p.total());
                    moving.put(c.op().id(), new Moving(m.executor(), p.moved()));
                    c.clock().clear(c.op().id());
                }
                return Optional.of(c.waitFor(step, null, "partitions to move", p.toString()));
            }
            c.recorder().step(c.op(), step, StepState.FINISHED, null, "moved " + p.total() + " partition(s)", p.total(), p.total());
            moving.remove(c.op().id());
            c.clock().clear(c.op().id());
            return Optional.of(Outcome.ADVANCED);
        }
        // after a restart (or between plans): whatever someone submitted must land before the data is planned again
        int inFlight = AdminCalls.await("listPartitionReassignments", c.admin().listPartitionReassignments().reassignments(),
                c.settings().callTimeout()).size();
        if (inFlight > 0) {
            return Optional.of(c.waitFor(step, null, "reassignments in flight", inFlight + " partition(s) still moving"));
        }
        ClusterSnapshot snapshot = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        BalancePlanner planning = planner.apply(snapshot);
        Decision feasible = planning.feasibility(snapshot.assignments());
        if (!feasible.allowed()) {
            return Optional.of(c.fail(step, null, feasible.reason() + ". Lower their replication factor (ChangeReplicationFactor) or delete them, then retry the operation"));
        }
        BalancePlan plan = planning.plan(snapshot.assignments());
        if (plan.isEmpty()) {
            clearThrottles(c, snapshot);
            ReassignmentExecutor.of(c.admin(), plan, c.settings().callTimeout()).electPreferredLeaders();
            return Optional.empty();
        }
        ReassignmentExecutor executor = ReassignmentExecutor.of(c.admin(), plan, c.settings().callTimeout());
        // the rate is part of the record: an auditor asking why a broker's disks were busy sees how hard they were driven
        c.recorder().step(c.op(), step, StepState.STARTED, null, (why == null ? "" : why + "; ") + plan.summary() + "; throttled at " + throttleBytes + " bytes/s per broker", 0,
                plan.changes().size());
        executor.throttle(throttleBytes);
        executor.submit();
        moving.put(c.op().id(), new Moving(executor, 0));
        return Optional.of(Outcome.ADVANCED);
    }

    /** Whether a plan of the operation is being executed by this driver (submitted, not seen landed yet). */
    boolean executing(String operationId) {
        return moving.containsKey(operationId);
    }

    /** Deletes every throttle setting on every broker and topic: safe to repeat, and a resumed driver no longer knows its plan. */
    private static void clearThrottles(DriveContext c, ClusterSnapshot snapshot) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        List<AlterConfigOp> brokerOps = new ArrayList<>();
        for (String key : List.of(ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE)) {
            brokerOps.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
        }
        snapshot.brokers().keySet().forEach(b -> ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(b)), brokerOps));
        List<AlterConfigOp> topicOps = new ArrayList<>();
        for (String key : List.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS)) {
            topicOps.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
        }
        snapshot.partitions().keySet().stream().map(tp -> tp.topic()).distinct()
                .forEach(t -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), topicOps));
        AdminCalls.await("incrementalAlterConfigs(remove throttles)", c.admin().incrementalAlterConfigs(ops).all(), c.settings().callTimeout());
    }

    void forget(String operationId) {
        moving.remove(operationId);
    }
}
