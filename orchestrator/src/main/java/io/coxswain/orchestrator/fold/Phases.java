package io.coxswain.orchestrator.fold;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.PlatformComponentSpec;
import java.util.Map;

/** The cluster phase, derived from spec and observed status alone (no clock): Pending → Provisioning → Ready, ... */
public final class Phases {

    public static final String PENDING = "Pending";
    public static final String PROVISIONING = "Provisioning";
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    public static final String RECONCILING = "Reconciling";
    public static final String PAUSED = "Paused";
    public static final String FAILED = "Failed";
    public static final String DELETING = "Deleting";
    public static final String DELETED = "Deleted";

    public static final String CONTROLLERS = "controllers";
    public static final String BROKERS = "brokers";

    private Phases() {
    }

    /** @param removed the executor has reported every object of the cluster gone */
    public static String derive(ClusterState s, boolean removed) {
        if (s.getSpec().getDeleteRequested()) {
            return removed ? DELETED : DELETING;
        }
        if (s.getSpec().getPaused()) {
            return PAUSED;
        }
        OperationStatus op = s.getStatus().getOperation();
        if (op != null && "RUNNING".equals(op.getState())) {
            return operationPhase(op.getOperation());
        }
        if (op != null && "FAILED".equals(op.getState())) {
            return FAILED;
        }
        Map<String, ComponentStatus> components = s.getStatus().getComponents();
        if (components.isEmpty()) {
            return PENDING;
        }
        ComponentStatus controllers = components.get(CONTROLLERS);
        ComponentStatus brokers = components.get(BROKERS);
        boolean shapeMatches = controllers != null && brokers != null
                && controllers.getDesired() == s.getSpec().getControllers()
                && brokers.getDesired() == s.getSpec().getBrokers()
                && runs(controllers, s.getSpec().getKafkaVersion()) && runs(brokers, s.getSpec().getKafkaVersion())
                && platformShapeMatches(s.getSpec().getComponents(), components);
        if (shapeMatches && allReady(components.values())) {
            return READY;
        }
        if (!s.getStatus().getEverReady()) {
            return PROVISIONING;
        }
        return shapeMatches ? DEGRADED : RECONCILING;
    }

    // Loops, not streams: the phase is derived on every accepted command, live and in replay (bench/, JFR).
    private static boolean allReady(Iterable<ComponentStatus> components) {
        for (ComponentStatus c : components) {
            if (c.getReady() < c.getDesired()) {
                return false;
            }
        }
        return true;
    }

    /** Every platform component asked for is observed at its size and version, and none other is (Kafka's own two aside). */
    private static boolean platformShapeMatches(Map<String, PlatformComponentSpec> wanted, Map<String, ComponentStatus> observed) {
        for (Map.Entry<String, PlatformComponentSpec> w : wanted.entrySet()) {
            ComponentStatus seen = observed.get(w.getKey());
            if (seen == null || seen.getDesired() != w.getValue().getReplicas() || !runs(seen, w.getValue().getVersion())) {
                return false;
            }
        }
        return observed.size() == wanted.size() + 2;
    }

    private static boolean runs(ComponentStatus c, String kafkaVersion) {
        for (String v : c.getVersions()) {
            if (!kafkaVersion.equals(v)) {
                return false;
            }
        }
        return true;
    }

    /** The phase shown while an operation of this kind runs. */
    public static String operationPhase(String operation) {
        return switch (operation) {
            case "RollingUpgrade" -> "Upgrading";
            case "Reconfigure" -> "Reconfiguring";
            case "RollingRestart" -> "Restarting";
            case "ScaleOut" -> "ScalingOut";
            case "ScaleIn" -> "ScalingIn";
            case "ExpandStorage" -> "ExpandingStorage";
            case RebalanceControl.OPERATION -> "Rebalancing";
            case CaReplacementControl.OPERATION -> "ReplacingCa";
            default -> operation;
        };
    }
}
