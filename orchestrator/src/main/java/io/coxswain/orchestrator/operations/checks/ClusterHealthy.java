package io.coxswain.orchestrator.operations.checks;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.ClusterSnapshot.Broker;
import io.coxswain.orchestrator.operations.ClusterSnapshot.PartitionState;
import io.coxswain.orchestrator.operations.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;

/**
 * What "healthy" means between two steps of an operation, and before the phase may return to
 * Ready: every expected broker registered and unfenced, no partition offline, no partition
 * under-replicated. A registered broker that is not expected (one being removed) is reported but
 * does not count against health, provided it holds nothing that is out of sync.
 */
public final class ClusterHealthy {

    public static final String CHECK = "ClusterHealthy";

    private final Set<Integer> expectedBrokers;

    private ClusterHealthy(Set<Integer> expectedBrokers) {
        this.expectedBrokers = new TreeSet<>(expectedBrokers);
    }

    public static ClusterHealthy expecting(Set<Integer> brokers) {
        return new ClusterHealthy(brokers);
    }

    public Decision check(Admin admin, Duration timeout) {
        return evaluate(ClusterSnapshot.read(admin, timeout));
    }

    public Decision evaluate(ClusterSnapshot cluster) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int id : expectedBrokers) {
            Broker b = cluster.brokers().get(id);
            if (b == null) {
                problems.add("broker " + id + " is not registered with the controller");
            } else if (b.fenced()) {
                problems.add("broker " + id + " is registered but fenced (not serving)");
            }
        }
        for (Broker b : cluster.brokers().values()) {
            if (!expectedBrokers.contains(b.id())) {
                notes.add("broker " + b.id() + " is registered but not expected" + (b.fenced() ? " (fenced)" : ""));
            }
        }
        int offline = 0;
        int under = 0;
        for (PartitionState p : cluster.partitions().values()) {
            if (p.offline()) {
                offline++;
                problems.add(p.describe() + " is offline");
            } else if (p.underReplicated()) {
                under++;
                problems.add(p.describe() + " is under-replicated (brokers " + p.outOfSync() + " out of sync)");
            }
        }
        if (problems.isEmpty()) {
            return Decision.go(CHECK, "cluster healthy: brokers " + expectedBrokers + " registered and unfenced, "
                    + cluster.partitions().size() + " partition(s) fully in sync", notes);
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(notes);
        return Decision.blocked(CHECK, "cluster not healthy: " + offline + " offline and " + under
                + " under-replicated partition(s), " + (problems.size() - offline - under) + " broker problem(s)", all);
    }
}
