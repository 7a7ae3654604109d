package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.RebalanceRequest;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.balance.BalancePlan;
import java.util.List;
import java.util.Optional;

/**
 * A rebalance a person asked for ({@code RebalanceCluster}, pending in {@code spec.rebalance}): once
 * every broker of the spec is up, the replicas and preferred leaders of every topic are spread over
 * them as a scale-out spreads them ({@link Rebalance}, {@link ScaleOut#planner}), under the request's
 * throttle or the installation's. It ends by saying where the data now is, which is what the person
 * who asked wants to read in {@code status.operation.reason}.
 */
final class RequestedRebalance {

    static final String STEP = "rebalance";
    private final Rebalance rebalance = new Rebalance();

    Outcome step(DriveContext c) {
        Optional<Outcome> waiting = ScaleOut.awaitBrokers(c, "brokers up", "a rebalance spreads data over every broker of the cluster");
        if (waiting.isPresent()) {
            return waiting.get();
        }
        List<Integer> brokers = ScaleOut.brokers(c);
        Optional<Outcome> moved = rebalance.step(c, STEP, s -> ScaleOut.planner(c, s, brokers), throttle(c));
        if (moved.isPresent()) {
            return moved.get();
        }
        ClusterSnapshot now = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        BalancePlan layout = new BalancePlan(ClusterSnapshot.sorted(now.assignments()), ClusterSnapshot.sorted(now.assignments()));
        return c.succeed("replicas and preferred leaders spread over brokers " + brokers + ": replicas per broker "
                + layout.replicasPerBroker() + ", leaders per broker " + layout.leadersPerBroker());
    }

    /** The request's throttle, else the installation's; a request that has meanwhile been settled counts as the installation's. */
    static long throttle(DriveContext c) {
        RebalanceRequest r = c.state().getSpec().getRebalance();
        return r != null && r.getThrottleBytesPerSecond() != null ? r.getThrottleBytesPerSecond() : c.settings().throttleBytes();
    }

    void forget(String operationId) {
        rebalance.forget(operationId);
    }
}
