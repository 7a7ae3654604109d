package io.coxswain.orchestrator.operations.checks;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.ClusterSnapshot.PartitionState;
import io.coxswain.orchestrator.operations.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * May this broker be restarted now without making any partition unwritable for {@code acks=all}
 * producers? For every partition with a replica on the broker:
 *
 * <ul>
 *   <li>offline (no leader): blocked, unless this broker is one of its replicas and the caller
 *       consents: then the partition is down already and the restart may be what brings it back;
 *   <li>a single replica (replication factor 1): the partition is unavailable while the broker
 *       restarts; allowed only with consent, and the finding says so;
 *   <li>under-replicated because of <em>another</em> broker: blocked, a second replica would be
 *       missing while this one restarts (if only this broker is out of sync, restarting it cannot
 *       shrink the ISR, so it is allowed and noted);
 *   <li>this broker in the ISR and {@code ISR size - 1 < min.insync.replicas}: blocked.
 * </ul>
 *
 * Strimzi blocks on the same ISR arithmetic; this check also names every partition that decides,
 * and separates "would lose availability by design" (consent) from "would break a guarantee".
 */
public final class CanRollBroker {

    public static final String CHECK = "CanRollBroker";

    private final int broker;
    private final boolean outageConsented;

    private CanRollBroker(int broker, boolean outageConsented) {
        this.broker = broker;
        this.outageConsented = outageConsented;
    }

    public static CanRollBroker of(int broker) {
        return new CanRollBroker(broker, false);
    }

    /** The operation's command accepted that single-replica partitions go offline during the roll. */
    public CanRollBroker withOutageConsent(boolean consent) {
        return new CanRollBroker(broker, consent);
    }

    public Decision check(Admin admin, Duration timeout) {
        return evaluate(ClusterSnapshot.read(admin, timeout));
    }

    public Decision evaluate(ClusterSnapshot cluster) {
        List<String> blocking = new ArrayList<>();
        List<String> outages = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PartitionState p : cluster.partitions().values()) {
            boolean hosted = p.replicas().contains(broker);
            if (p.offline()) {
                if (hosted) {
                    outages.add(p.describe() + " is offline already; restarting broker " + broker + " may bring it back");
                } else {
                    blocking.add(p.describe() + " is offline; fix it before restarting anything else");
                }
                continue;
            }
            if (!hosted) {
                continue;
            }
            if (p.replicas().size() == 1) {
                outages.add(p.describe() + " has its only replica on broker " + broker
                        + ": it will be unavailable for reads and writes while broker " + broker + " restarts");
                continue;
            }
            List<Integer> othersMissing = p.outOfSync().stream().filter(r -> r != broker).toList();
            if (!othersMissing.isEmpty()) {
                blocking.add(p.describe() + " is under-replicated (brokers " + othersMissing + " out of sync)");
                continue;
            }
            boolean inIsr = p.isr().contains(broker);
            if (inIsr && p.isr().size() - 1 < p.minIsr()) {
                blocking.add(p.describe() + ": without broker " + broker + " the ISR would have " + (p.isr().size() - 1)
                        + " replica(s), below min.insync.replicas=" + p.minIsr() + ", so acks=all writes would fail");
            } else if (!inIsr) {
                notes.add(p.describe() + ": broker " + broker + " is out of sync already; restarting it cannot shrink the ISR");
            }
        }
        String subject = "broker " + broker;
        if (!blocking.isEmpty()) {
            List<String> all = new ArrayList<>(blocking);
            all.addAll(outages);
            return Decision.blocked(CHECK, "cannot restart " + subject + " now: " + blocking.size() + " partition(s) would be at risk", all);
        }
        if (!outages.isEmpty() && !outageConsented) {
            return Decision.needsConsent(CHECK, "restarting " + subject + " makes " + outages.size()
                    + " partition(s) unavailable until it is back; proceed only with explicit consent", outages);
        }
        List<String> findings = new ArrayList<>(outages);
        findings.addAll(notes);
        String summary = outages.isEmpty()
                ? subject + " can restart: every partition it hosts keeps at least min.insync.replicas in sync"
                : subject + " can restart with the consented outage of " + outages.size() + " partition(s)";
        return Decision.go(CHECK, summary, findings);
    }
}
