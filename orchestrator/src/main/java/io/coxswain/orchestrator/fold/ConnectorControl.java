package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.COMPONENT_IN_USE;
import static io.coxswain.avro.event.RejectionCode.CONNECTOR_NOT_FOUND;
import static io.coxswain.avro.event.RejectionCode.CONNECTOR_NOT_STOPPED;
import static io.coxswain.avro.event.RejectionCode.INVALID_COMMAND;
import static io.coxswain.avro.event.RejectionCode.NOT_SUPPORTED_ON_CLUSTER;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.DeleteConnector;
import io.coxswain.avro.command.ResetConnectorOffsets;
import io.coxswain.avro.command.RestartConnector;
import io.coxswain.avro.command.SetConnector;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.ConnectorOffsetReset;
import io.coxswain.avro.state.ConnectorRestart;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.shape.MirrorShape;
import io.coxswain.commands.shape.PlatformComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DECIDE and FOLD for the Kafka Connect connectors of a cluster ({@code connectors}, by name), run on
 * its connect component. The state holds what each connector is asked to be (class, tasks,
 * configuration, RUNNING/PAUSED/STOPPED, the latest restart asked for); {@code status.connectors} what
 * the Connect cluster last reported. A connector deleted by command stays named in
 * {@code retiredConnectors} until set again, so the executor removes it from Connect and leaves the
 * connectors nobody asked Coxswain for (made by hand) alone, as it does unmanaged topics. A connect component with connectors cannot be removed: they would
 * go without a command that names them.
 */
final class ConnectorControl {

    static final String CONNECT = PlatformComponent.CONNECT.componentName();
    private static final String STOPPED = "STOPPED";

    private ConnectorControl() {
    }

    static boolean handles(Object p) {
        return p instanceof SetConnector || p instanceof DeleteConnector || p instanceof RestartConnector || p instanceof ResetConnectorOffsets;
    }

    /** DECIDE for a payload that {@link #handles}; the shape (name, class, tasks, no secret values) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String id = state.getClusterId();
        Map<String, ConnectorSpec> connectors = state.getConnectors();
        if (p instanceof SetConnector s) {
            if (!state.getSpec().getComponents().containsKey(CONNECT)) {
                return Optional.of(new Rejection(NOT_SUPPORTED_ON_CLUSTER, "cluster '" + id + "' runs no connect component, and a connector"
                        + " runs on Connect workers: add them first (SetComponent connect), then send this command again"));
            }
            Optional<String> credentials = MirrorShape.credentialsReference(id, s.getConfig());
            if (credentials.isPresent()) {
                return Optional.of(new Rejection(INVALID_COMMAND, "connector '" + s.getName() + "' of cluster '" + id + "': its property '"
                        + credentials.get() + "' refers to the mirrors' credentials (Secret " + MirrorShape.credentialsSecret(id) + "), which the"
                        + " executor copies from the mirrors' source clusters for the mirrors alone: a connector of its own would read those"
                        + " clusters as the mirrors' users. Mount a Secret of the connector's own (SetComponent connect, secrets) and refer to"
                        + " it, or mirror with SetMirror"));
            }
            ConnectorSpec current = connectors.get(s.getName());
            if (current != null && current.equals(next(current, s))) {
                return Optional.of(new Rejection(NO_CHANGE, "connector '" + s.getName() + "' of cluster '" + id + "' already runs "
                        + current.getConnectorClass() + " with " + current.getTasksMax() + " task(s), this configuration, " + current.getState()));
            }
            if (current != null && !STOPPED.equals(s.getState().name()) && offsetResetPending(state, s.getName())) {
                return Optional.of(new Rejection(CONNECTOR_NOT_STOPPED, "connector '" + s.getName() + "' of cluster '" + id + "' has its offsets"
                        + " reset pending (ResetConnectorOffsets " + current.getOffsetReset().getCommandId() + "), which Kafka Connect does only"
                        + " while it is stopped: start it once status.connectors." + s.getName() + ".offsetsReset names that command (or"
                        + " delete the connector: Connect keeps its offsets for a connector made again under the name)"));
            }
            return Optional.empty();
        }
        String name = nameOf(p);
        ConnectorSpec current = connectors.get(name);
        if (current == null) {
            return Optional.of(new Rejection(CONNECTOR_NOT_FOUND, "cluster '" + id + "' has no connector '" + name + "'"
                    + (connectors.isEmpty() ? "" : "; it has " + String.join(", ", connectors.keySet()))));
        }
        if (p instanceof ResetConnectorOffsets) {
            Optional<Rejection> old = connectTooOld(state);
            if (old.isPresent()) {
                return old;
            }
        }
        if (p instanceof ResetConnectorOffsets && !STOPPED.equals(current.getState())) {
            return Optional.of(new Rejection(CONNECTOR_NOT_STOPPED, "connector '" + name + "' of cluster '" + id + "' is asked to be "
                    + current.getState() + ", and Kafka Connect resets only a stopped connector's offsets: stop it first (SetConnector with"
                    + " state STOPPED), then send this again; it stays stopped after the reset until a SetConnector starts it"));
        }
        if (p instanceof RestartConnector && STOPPED.equals(current.getState())) {
            return Optional.of(new Rejection(NO_CHANGE, "connector '" + name + "' of cluster '" + id + "' is STOPPED, so there is nothing"
                    + " to restart; start it with SetConnector and state RUNNING"));
        }
        return Optional.empty();
    }

    /** The connector a payload that {@link #handles} names. */
    static String nameOf(Object p) {
        return p instanceof SetConnector s ? s.getName() : p instanceof DeleteConnector d ? d.getName()
                : p instanceof RestartConnector r ? r.getName() : ((ResetConnectorOffsets) p).getName();
    }

    /** DECIDE for RemoveComponent connect: never while connectors run on it. */
    static Optional<Rejection> checkRemoval(ClusterState state, String component) {
        if (!CONNECT.equals(component) || state.getConnectors().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(COMPONENT_IN_USE, "connect of cluster '" + state.getClusterId() + "' runs the connectors "
                + String.join(", ", state.getConnectors().keySet()) + "; delete them first (DeleteConnector), then remove the component"));
    }

    /** FOLD: replaces {@code connectors} (never changes it in place, see {@link NextState}). */
    static void apply(ClusterState next, Command c) {
        Object p = c.getPayload();
        Map<String, ConnectorSpec> connectors = new TreeMap<>(next.getConnectors());
        if (p instanceof SetConnector s) {
            connectors.put(s.getName(), next(connectors.get(s.getName()), s));
            retired(next, s.getName(), false);
        } else if (p instanceof DeleteConnector d) {
            connectors.remove(d.getName());
            retired(next, d.getName(), true);
            Map<String, ConnectorStatus> observed = new TreeMap<>(next.getStatus().getConnectors());
            observed.remove(d.getName());
            next.getStatus().setConnectors(observed);
        } else if (p instanceof ResetConnectorOffsets r) {
            connectors.put(r.getName(), ConnectorSpec.newBuilder(connectors.get(r.getName()))
                    .setOffsetReset(new ConnectorOffsetReset(c.getCommandId(), c.getIssuedAt(), r.getReason(), null)).build());
        } else {
            RestartConnector r = (RestartConnector) p;
            ConnectorSpec restarted = ConnectorSpec.newBuilder(connectors.get(r.getName()))
                    .setRestart(new ConnectorRestart(c.getCommandId(), r.getOnlyFailed(), c.getIssuedAt(), r.getReason(), null)).build();
            connectors.put(r.getName(), restarted);
        }
        next.setConnectors(connectors);
    }

    /** The names the executor removes from the Connect cluster: deleted by command, not set again since. */
    private static void retired(ClusterState next, String name, boolean retire) {
        TreeSet<String> names = new TreeSet<>(next.getRetiredConnectors());
        if (retire ? names.add(name) : names.remove(name)) {
            next.setRetiredConnectors(new ArrayList<>(names));
        }
    }

    /**
     * FOLD of what the Connect cluster reported. Only connectors the state names, its own or its mirrors': a report made before a
     * DeleteConnector and folded after it would otherwise bring back a status nobody corrects. While
     * Connect cannot be asked, the connectors stay as last observed, with the reason beside them.
     */
    static void observed(ClusterState next, ConnectorsObserved o, Instant at) {
        ClusterStatus status = next.getStatus();
        status.setConnectUnreachable(o.getUnreachable());
        // what the executor knows without Connect (a source cluster, credentials), kept for the mirrors the state still has
        Map<String, String> notRunnable = new TreeMap<>(o.getMirrorsNotRunnable());
        notRunnable.keySet().retainAll(next.getSpec().getMirrors().keySet());
        status.setMirrorsNotRunnable(notRunnable);
        if (o.getUnreachable() != null) {
            return;
        }
        status.setUnmanagedConnectors(new ArrayList<>(new TreeSet<>(o.getUnmanaged())));
        Map<String, ConnectorStatus> observed = new TreeMap<>();
        Map<String, ConnectorSpec> settled = new TreeMap<>(next.getConnectors());
        Set<String> mirrored = MirrorControl.connectorNames(next);
        for (Map.Entry<String, ConnectorObservation> e : o.getConnectors().entrySet()) {
            ConnectorSpec spec = next.getConnectors().get(e.getKey());
            if (spec == null && mirrored.contains(e.getKey())) { // a mirror's: restarted by RestartMirror, asked no reset
                ConnectorObservation c = e.getValue();
                observed.put(e.getKey(), new ConnectorStatus(c.getState(), c.getTasks(), c.getFailedTasks(), c.getError(), c.getRestarted(),
                        null, null, at));
            }
            if (spec != null) {
                ConnectorObservation c = e.getValue();
                observed.put(e.getKey(), new ConnectorStatus(c.getState(), c.getTasks(), c.getFailedTasks(), c.getError(), c.getRestarted(),
                        c.getOffsetsReset(), c.getOffsetsResetRefused(), at));
                // in the spec, not only the status a later report may leave out: a settled request is never carried out again
                ConnectorSpec.Builder marked = null;
                ConnectorOffsetReset reset = spec.getOffsetReset();
                if (reset != null && reset.getSettledAt() == null && reset.getCommandId().equals(c.getOffsetsReset())) {
                    marked = ConnectorSpec.newBuilder(spec).setOffsetReset(ConnectorOffsetReset.newBuilder(reset).setSettledAt(at).build());
                }
                ConnectorRestart restart = spec.getRestart();
                if (restart != null && restart.getCarriedOutAt() == null && restart.getCommandId().equals(c.getRestarted())) {
                    marked = (marked == null ? ConnectorSpec.newBuilder(spec) : marked)
                            .setRestart(ConnectorRestart.newBuilder(restart).setCarriedOutAt(at).build());
                }
                if (marked != null) {
                    settled.put(e.getKey(), marked.build());
                }
            }
        }
        status.setConnectors(observed);
        MirrorControl.observed(next, observed, at);
        if (!settled.equals(next.getConnectors())) {
            next.setConnectors(settled);
        }
    }

    /** Connect erases offsets by REST from Kafka 3.6 (Confluent Platform 7.6) on: an older component's workers 404 the call. */
    private static Optional<Rejection> connectTooOld(ClusterState state) {
        String version = state.getSpec().getComponents().get(CONNECT).getVersion();
        return PlatformComponent.releasedBefore(version, 7, 6) ? Optional.of(new Rejection(NOT_SUPPORTED_ON_CLUSTER, "connect of cluster '" + state.getClusterId() + "' runs Confluent"
                + " Platform " + version + ", whose Kafka Connect cannot reset a connector's offsets (7.6, Kafka 3.6, and later can):"
                + " upgrade it (SetComponent connect with a newer version) first")) : Optional.empty();
    }

    private static ConnectorSpec next(ConnectorSpec current, SetConnector s) {
        return new ConnectorSpec(s.getConnectorClass(), s.getTasksMax(), new TreeMap<>(s.getConfig()), s.getState().name(),
                current == null ? null : current.getRestart(), current == null ? null : current.getOffsetReset());
    }

    /** A ResetConnectorOffsets asked for and not yet reported settled (carried out, or refused by Connect for good). */
    static boolean offsetResetPending(ClusterState state, String name) {
        ConnectorSpec spec = state.getConnectors().get(name);
        return spec != null && spec.getOffsetReset() != null && spec.getOffsetReset().getSettledAt() == null;
    }
}
