package io.coxswain.orchestrator.operations.checks;

import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.ClusterSnapshot.PartitionState;
import io.coxswain.orchestrator.operations.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.TopicPartition;

/**
 * The last gate before a broker's pod is removed on scale-in: the broker must hold no replica,
 * not even as the target of a reassignment still in flight. A broker that is down still "holds"
 * the replicas assigned to it, so this reads assignments, not what the broker reports.
 */
public final class BrokerHoldsNoReplicas {

    public static final String CHECK = "BrokerHoldsNoReplicas";

    private final int broker;

    private BrokerHoldsNoReplicas(int broker) {
        this.broker = broker;
    }

    public static BrokerHoldsNoReplicas of(int broker) {
        return new BrokerHoldsNoReplicas(broker);
    }

    public Decision check(Admin admin, Duration timeout) {
        Map<TopicPartition, PartitionReassignment> moving = AdminCalls.await("listPartitionReassignments",
                admin.listPartitionReassignments().reassignments(), timeout);
        return evaluate(ClusterSnapshot.read(admin, timeout), moving);
    }

    public Decision evaluate(ClusterSnapshot cluster, Map<TopicPartition, PartitionReassignment> inFlight) {
        // During a reassignment the replica list is the union of old and new replicas, so a
        // broker being drained still appears until its copy is really gone.
        List<String> held = new ArrayList<>();
        for (PartitionState p : cluster.partitionsOn(broker)) {
            PartitionReassignment r = inFlight.get(p.partition());
            held.add(p.describe() + (r == null ? "" : " (reassignment in flight: adding " + r.addingReplicas()
                    + ", removing " + r.removingReplicas() + ")"));
        }
        if (held.isEmpty()) {
            return Decision.go(CHECK, "broker " + broker + " holds no replicas and may be removed");
        }
        return Decision.blocked(CHECK, "broker " + broker + " still holds " + held.size() + " replica(s); removing it would lose them", held);
    }
}
