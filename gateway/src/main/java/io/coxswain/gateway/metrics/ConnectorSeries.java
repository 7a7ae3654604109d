package io.coxswain.gateway.metrics;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.orchestrator.fold.Phases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-connector series from the read model, for the alerts a platform team keeps on Kafka Connect: a connector whose
 * tasks fail, one not in the state it was asked to be, and a Connect cluster Coxswain cannot ask. A connector has
 * series once the executor has reported it (status.connectors), and only while the state still names it, so a deleted
 * connector's alert resolves; the reachability series exists for each cluster whose spec runs the connect component.
 */
final class ConnectorSeries {

    private ConnectorSeries() {
    }

    static void register(Metrics registry, Supplier<Collection<ClusterState>> clusters) {
        registry.gauges("coxswain_connector_failed_tasks", "Failed tasks of each connector, as the Connect cluster last reported them.",
                () -> observed(clusters.get(), (asked, seen) -> List.of(), ConnectorStatus::getFailedTasks), "cluster", "connector");
        registry.gauges("coxswain_connector_tasks", "Tasks of each connector, as the Connect cluster last reported them.",
                () -> observed(clusters.get(), (asked, seen) -> List.of(), ConnectorStatus::getTasks), "cluster", "connector");
        // the asked state as a label too: an alert on asked != state needs no join with another series
        registry.gauges("coxswain_connector_state", "1 for each connector's state as the Connect cluster last reported it (RUNNING,"
                + " PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING), with the state it is asked to be.",
                () -> observed(clusters.get(), (asked, seen) -> List.of(seen.getState(), asked.getState()), seen -> 1), "cluster", "connector", "state", "asked");
        registry.gauges("coxswain_connect_unreachable", "1 while the executor could not ask a cluster's Connect REST API at its last"
                + " observation (the connectors' series are then as last seen), 0 once it answers; for each cluster running connect.",
                () -> unreachable(clusters.get()), "cluster");
    }

    /**
     * One series per connector the state names and the executor has reported: the cluster and connector labels, then those
     * {@code more} gives of what was asked and what is observed.
     */
    private static Map<List<String>, Double> observed(Collection<ClusterState> states, BiFunction<ConnectorSpec, ConnectorStatus, List<String>> more,
                                                      ToDoubleFunction<ConnectorStatus> value) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            s.getStatus().getConnectors().forEach((name, status) -> {
                ConnectorSpec asked = s.getConnectors().get(name);
                if (asked != null) {
                    List<String> labels = new ArrayList<>(List.of(s.getClusterId(), name.toString()));
                    labels.addAll(more.apply(asked, status));
                    out.put(labels, value.applyAsDouble(status));
                }
            });
        }
        return out;
    }

    private static Map<List<String>, Double> unreachable(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            if (s.getSpec().getComponents().containsKey("connect") && !Phases.DELETED.equals(s.getStatus().getPhase())) {
                out.put(List.of(s.getClusterId()), s.getStatus().getConnectUnreachable() == null ? 0.0 : 1.0);
            }
        }
        return out;
    }
}
