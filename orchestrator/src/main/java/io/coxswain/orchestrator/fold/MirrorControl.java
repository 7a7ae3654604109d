package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.COMPONENT_IN_USE;
import static io.coxswain.avro.event.RejectionCode.INVALID_COMMAND;
import static io.coxswain.avro.event.RejectionCode.MIRROR_NOT_FOUND;
import static io.coxswain.avro.event.RejectionCode.NOT_SUPPORTED_ON_CLUSTER;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.DeleteMirror;
import io.coxswain.avro.command.RestartMirror;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorRestart;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.avro.state.MirrorSpec;
import io.coxswain.commands.shape.MirrorShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DECIDE and FOLD for MirrorMaker 2 mirrors into a cluster ({@code mirrors}, by name). A mirror is not a thing of its
 * own on Connect: the executor runs it as connectors named after it ({@link MirrorShape#connectorNames}), through the
 * machinery that runs the {@link ConnectorControl connectors}. So the fold keeps those names apart from the connectors'
 * (neither may take the other's), keeps their observed status beside the connectors', and retires them as
 * DeleteConnector retires a connector, so the executor removes them from Connect. A RestartMirror is kept as a
 * RestartConnector is ({@code mirrors.<name>.restart}, the same record), and the executor carries it out on each of the
 * mirror's connectors once. The source cluster's state is folded under its own key and cannot be seen here: whether it
 * exists is the executor's to check.
 */
final class MirrorControl {

    private static final String STOPPED = "STOPPED";

    private MirrorControl() {
    }

    static boolean handles(Object p) {
        return p instanceof SetMirror || p instanceof DeleteMirror || p instanceof RestartMirror;
    }

    /** DECIDE for a payload that {@link #handles}; the shape (name, regular expressions, groups) is already checked. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String id = state.getClusterId();
        if (p instanceof DeleteMirror d) {
            return notFound(state, d.getName());
        }
        if (p instanceof RestartMirror r) {
            Optional<Rejection> missing = notFound(state, r.getName());
            if (missing.isPresent()) {
                return missing;
            }
            // restarting changes nothing a SetMirror asked, so the target's say is enough: the source's data is read as before
            return STOPPED.equals(state.getSpec().getMirrors().get(r.getName()).getState()) ? Optional.of(new Rejection(NO_CHANGE, "mirror '"
                    + r.getName() + "' of cluster '" + id + "' is STOPPED, so there is nothing to restart; start it with SetMirror and state"
                    + " RUNNING")) : Optional.empty();
        }
        SetMirror s = (SetMirror) p;
        if (!state.getSpec().getComponents().containsKey(ConnectorControl.CONNECT)) {
            return Optional.of(new Rejection(NOT_SUPPORTED_ON_CLUSTER, "cluster '" + id + "' runs no connect component, and a mirror runs"
                    + " on its Connect workers: add them first (SetComponent connect), then send this command again"));
        }
        if (s.getSourceCluster().equals(id)) {
            return Optional.of(new Rejection(INVALID_COMMAND, "invalid command: payload.sourceCluster: mirror '" + s.getName() + "' is sent"
                    + " to the cluster it copies into, '" + id + "', and names it as its source too: name the cluster to copy from"));
        }
        Optional<String> taken = MirrorShape.connectorNames(s.getName()).stream().filter(state.getConnectors()::containsKey).findFirst();
        if (taken.isPresent()) {
            return Optional.of(new Rejection(INVALID_COMMAND, "invalid command: payload.name: mirror '" + s.getName() + "' of cluster '" + id
                    + "' would run as connector '" + taken.get() + "', which a SetConnector set already: choose another mirror name"
                    + " (or DeleteConnector " + taken.get() + " first)"));
        }
        MirrorSpec current = state.getSpec().getMirrors().get(s.getName());
        if (current != null && current.equals(spec(s, current.getCommandId(), current))) {
            return Optional.of(new Rejection(NO_CHANGE, "mirror '" + s.getName() + "' of cluster '" + id + "' already copies from '"
                    + s.getSourceCluster() + "' with these topics, groups and policy, " + current.getState()));
        }
        return Optional.empty();
    }

    private static Optional<Rejection> notFound(ClusterState state, String name) {
        Map<String, MirrorSpec> mirrors = state.getSpec().getMirrors();
        return mirrors.containsKey(name) ? Optional.empty() : Optional.of(new Rejection(MIRROR_NOT_FOUND, "cluster '" + state.getClusterId()
                + "' has no mirror '" + name + "'" + (mirrors.isEmpty() ? "" : "; it has " + String.join(", ", mirrors.keySet()))));
    }

    /**
     * DECIDE for a connector command naming {@code connector}: never one a mirror runs as, which the mirror's own command
     * changes (a SetConnector under its name would fight the mirror over it; a restart, reset or deletion would name a
     * connector the state keeps as the mirror's).
     */
    static Optional<Rejection> checkConnector(ClusterState state, String connector) {
        return owner(state, connector).map(mirror -> new Rejection(INVALID_COMMAND, "invalid command: payload.name: connector '"
                + connector + "' of cluster '" + state.getClusterId() + "' is run by mirror '" + mirror + "': change it with SetMirror"
                + " (its state too), restart it with RestartMirror " + mirror + ", or DeleteMirror, or choose another connector name"));
    }

    /** DECIDE for RemoveComponent connect: never while mirrors run on it. */
    static Optional<Rejection> checkRemoval(ClusterState state, String component) {
        if (!ConnectorControl.CONNECT.equals(component) || state.getSpec().getMirrors().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(COMPONENT_IN_USE, "connect of cluster '" + state.getClusterId() + "' runs the mirrors "
                + String.join(", ", state.getSpec().getMirrors().keySet()) + "; delete them first (DeleteMirror), then remove the component"));
    }

    /** The mirror that runs as this connector name, if any. */
    static Optional<String> owner(ClusterState state, String connector) {
        return state.getSpec().getMirrors().keySet().stream().filter(m -> MirrorShape.connectorNames(m).contains(connector)).findFirst();
    }

    /** The connector names the state's mirrors run as: their observed status is kept beside the connectors'. */
    static Set<String> connectorNames(ClusterState state) {
        Set<String> names = new TreeSet<>();
        state.getSpec().getMirrors().keySet().forEach(m -> names.addAll(MirrorShape.connectorNames(m)));
        return names;
    }

    /** FOLD: replaces {@code mirrors} and, where a connector of one goes, {@code retiredConnectors} (never changed in place). */
    static void apply(ClusterState next, Command c) {
        Map<String, MirrorSpec> mirrors = new TreeMap<>(next.getSpec().getMirrors());
        TreeSet<String> retired = new TreeSet<>(next.getRetiredConnectors());
        if (c.getPayload() instanceof RestartMirror r) {
            mirrors.put(r.getName(), MirrorSpec.newBuilder(mirrors.get(r.getName()))
                    .setRestart(new ConnectorRestart(c.getCommandId(), r.getOnlyFailed(), c.getIssuedAt(), r.getReason(), null)).build());
        } else if (c.getPayload() instanceof SetMirror s) {
            MirrorSpec before = mirrors.get(s.getName());
            mirrors.put(s.getName(), spec(s, c.getCommandId(), before));
            retired.remove(MirrorShape.sourceConnector(s.getName()));
            retired.remove(MirrorShape.heartbeatConnector(s.getName()));
            String checkpoint = MirrorShape.checkpointConnector(s.getName());
            if (!s.getGroups().isEmpty()) {
                retired.remove(checkpoint);
            } else if (before != null && !before.getGroups().isEmpty()) {
                retired.add(checkpoint); // its groups went: the checkpoint connector goes from Connect
                dropStatus(next, List.of(checkpoint));
            }
        } else {
            String name = ((DeleteMirror) c.getPayload()).getName();
            MirrorSpec gone = mirrors.remove(name);
            List<String> connectors = MirrorShape.connectorNames(name, !gone.getGroups().isEmpty());
            retired.addAll(connectors);
            dropStatus(next, connectors);
            Map<String, String> notRunnable = new TreeMap<>(next.getStatus().getMirrorsNotRunnable());
            if (notRunnable.remove(name) != null) {
                next.getStatus().setMirrorsNotRunnable(notRunnable);
            }
        }
        next.getSpec().setMirrors(mirrors);
        if (!retired.equals(new TreeSet<>(next.getRetiredConnectors()))) {
            next.setRetiredConnectors(new ArrayList<>(retired));
        }
    }

    private static void dropStatus(ClusterState next, List<String> connectors) {
        Map<String, ConnectorStatus> observed = new TreeMap<>(next.getStatus().getConnectors());
        if (observed.keySet().removeAll(connectors)) {
            next.getStatus().setConnectors(observed);
        }
    }

    /**
     * FOLD of what the Connect cluster reported, for the mirrors: a RestartMirror is carried out once the report names it on
     * every connector the mirror runs as (the source's, the heartbeat's, and with groups the checkpoint's), and marked so in the spec, as a
     * RestartConnector is, so it is never made again whatever a later report leaves out.
     *
     * @param observed the connectors' status as this report leaves it
     */
    static void observed(ClusterState next, Map<String, ConnectorStatus> observed, Instant at) {
        Map<String, MirrorSpec> mirrors = new TreeMap<>(next.getSpec().getMirrors());
        mirrors.replaceAll((name, m) -> {
            ConnectorRestart restart = m.getRestart();
            List<String> connectors = MirrorShape.connectorNames(name, !m.getGroups().isEmpty());
            boolean carriedOut = restart != null && restart.getCarriedOutAt() == null && connectors.stream()
                    .allMatch(n -> observed.containsKey(n) && restart.getCommandId().equals(observed.get(n).getRestarted()));
            return carriedOut ? MirrorSpec.newBuilder(m).setRestart(ConnectorRestart.newBuilder(restart).setCarriedOutAt(at).build()).build() : m;
        });
        if (!mirrors.equals(next.getSpec().getMirrors())) {
            next.getSpec().setMirrors(mirrors);
        }
    }

    /** The mirror as the SetMirror asks, with the latest restart it had: a new setting is no restart, nor forgets one. */
    private static MirrorSpec spec(SetMirror s, String commandId, MirrorSpec before) {
        return new MirrorSpec(s.getSourceCluster(), List.copyOf(s.getTopics()), List.copyOf(s.getExcludeTopics()), List.copyOf(s.getGroups()),
                s.getSyncGroupOffsets(), s.getReplicationPolicy().name(), s.getSourceUser(), s.getState().name(), commandId,
                before == null ? null : before.getRestart());
    }
}
