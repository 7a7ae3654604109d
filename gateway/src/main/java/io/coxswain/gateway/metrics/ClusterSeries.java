package io.coxswain.gateway.metrics;

import io.coxswain.avro.state.CaStatus;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-cluster series from the read model, for dashboards and alerts across many clusters: every
 * gateway instance holds every cluster's state, so any instance can be scraped. One series per
 * cluster (and per component), with the value 1 for "this cluster is in this phase", the usual
 * Prometheus pattern for an enumeration: alert on {@code coxswain_cluster_phase{phase="Degraded"} == 1}
 * or {@code coxswain_cluster_operation{state="FAILED"} == 1}. The CA series exist only for a cluster whose
 * executor has reported its CA (status.ca), so an alert on them never fires on a cluster not yet reported; the
 * topic replication series only for a change of replication factor under way, so a dashboard lists exactly those, and
 * the refused-topic series only for a topic Kafka refuses.
 */
final class ClusterSeries {

    private ClusterSeries() {
    }

    static void register(Metrics registry, Supplier<Collection<ClusterState>> clusters) {
        registry.gauges("coxswain_clusters", "Clusters by phase.", () -> {
            Map<List<String>, Double> out = new HashMap<>();
            clusters.get().forEach(s -> out.merge(List.of(s.getStatus().getPhase()), 1.0, Double::sum));
            return out;
        }, "phase");
        registry.gauges("coxswain_cluster_phase", "1 for each cluster's current phase.",
                () -> each(clusters.get(), s -> List.of(s.getClusterId(), s.getStatus().getPhase()), s -> 1), "cluster", "phase");
        registry.gauges("coxswain_cluster_operation", "1 for each cluster's current or last operation, by its state (RUNNING, FAILED, ...).",
                () -> operations(clusters.get(), (id, op) -> List.of(id, op.getOperation(), op.getState()), op -> 1), "cluster", "operation", "state");
        // the start, not an age: an alert computes time() - this, and the series says which operation id to retry or abandon
        registry.gauges("coxswain_cluster_operation_started_timestamp_seconds", "When each cluster's current or last operation began,"
                + " in seconds since the epoch, by its state and id (what cox operation retry|abandon take).",
                () -> operations(clusters.get(), (id, op) -> List.of(id, op.getOperation(), op.getState(), op.getOperationId()),
                        op -> op.getStartedAt().toEpochMilli() / 1000.0), "cluster", "operation", "state", "operation_id");
        // progress as two series, not a ratio: a dashboard shows "4 of 6 pods", an alert can divide
        registry.gauges("coxswain_cluster_operation_steps_done", "Steps done of each cluster's current or last operation (status.operation.done),"
                + " for an operation that counts them (a roll: pods restarted).", () -> progress(clusters.get(), OperationStatus::getDone),
                "cluster", "operation", "state", "operation_id");
        registry.gauges("coxswain_cluster_operation_steps_total", "Steps in all of that operation (status.operation.total).",
                () -> progress(clusters.get(), OperationStatus::getTotal), "cluster", "operation", "state", "operation_id");
        registry.gauges("coxswain_cluster_version", "Each cluster's state version: how many accepted commands and observations it has folded.",
                () -> each(clusters.get(), s -> List.of(s.getClusterId()), ClusterState::getVersion), "cluster");
        // a deleted cluster's last change (its deletion) is acted on by removing it, which is recorded otherwise: no series
        registry.gauges("coxswain_cluster_change_not_acted_on", "1 while the latest change asked of a cluster (its intentVersion) is"
                + " not yet acted on by its executor (status.reconciledIntentVersion behind it), 0 once it is; none for a deleted cluster.",
                () -> each(clusters.get().stream().filter(s -> !Phases.DELETED.equals(s.getStatus().getPhase())).toList(),
                        s -> List.of(s.getClusterId()), s -> s.getStatus().getReconciledIntentVersion() < s.getIntentVersion() ? 1 : 0), "cluster");
        registry.gauges("coxswain_cluster_ca_expiry_timestamp_seconds", "When each cluster's signing CA certificate expires (its notAfter), in seconds since the epoch.",
                () -> ca(clusters.get(), ca -> ca.getNotAfter().getEpochSecond()), "cluster");
        registry.gauges("coxswain_cluster_ca_trusted", "How many CAs each cluster's trust bundle holds: above 1 while a CA renewal or replacement is under way.",
                () -> ca(clusters.get(), ca -> ca.getTrusted().size()), "cluster");
        registry.gauges("coxswain_topic_replication_partitions", "Partitions of each topic whose replication factor is being changed"
                + " (status.replication), by the factor asked for; no series once the topic has it.",
                () -> replication(clusters.get(), TopicReplicationStatus::getPartitions), "cluster", "topic", "factor");
        registry.gauges("coxswain_topic_replication_partitions_at_factor", "Of those, the partitions that have the factor asked for, none"
                + " of them moving: the change's progress.", () -> replication(clusters.get(), TopicReplicationStatus::getAtFactor),
                "cluster", "topic", "factor");
        registry.gauges("coxswain_topic_replication_blocked", "1 while no replica of the topic's change can be placed (too few brokers up).",
                () -> replication(clusters.get(), r -> r.getBlocked() == null ? 0 : 1), "cluster", "topic", "factor");
        // 1, not the time since: the alert's own "for" times it, and the reason is too long for a label (cox get shows it)
        registry.gauges("coxswain_topic_refused", "1 for each managed topic whose creation or configuration change Kafka refuses"
                + " (status.topicRefusals); no series once it is fixed or deleted.", () -> refusals(clusters.get()), "cluster", "topic");
        registry.gauges("coxswain_cluster_blocked", "1 for each thing the executor refuses to do, or Kafka refused it, for the cluster"
                + " (status.executorRefusals: key namespace, brokerConfig/cluster-default, brokerConfig/broker-<id>); no series once it"
                + " is resolved.", () -> blocked(clusters.get()), "cluster", "key");
        registry.gauges("coxswain_user_password_set_timestamp_seconds", "When each SCRAM-SHA-512 user's password was last set: its latest"
                + " RotateUserPassword, else its CreateUser; none for users created before Coxswain kept that.",
                () -> passwordsSet(clusters.get()), "cluster", "user");
        registry.gaugesWithOwnLabels("coxswain_cluster_labels", "1 for each cluster with labels, each label as label_<key> (every character"
                + " of the key outside [a-zA-Z0-9_] written _), as kube-state-metrics writes a pod's: join on cluster to route alerts by team.",
                () -> labels(clusters.get()));
        registry.gauges("coxswain_component_ready_replicas", "Ready pods of each platform component, as last observed.",
                () -> components(clusters.get(), ComponentStatus::getReady), "cluster", "component");
        registry.gauges("coxswain_component_desired_replicas", "Pods each platform component's StatefulSet asks for, as last observed.",
                () -> components(clusters.get(), ComponentStatus::getDesired), "cluster", "component");
        ConnectorSeries.register(registry, clusters);
        OffsetResetSeries.register(registry, clusters);
        ProposalSeries.register(registry, clusters);
    }

    private static Map<List<String>, Double> each(Collection<ClusterState> states, Function<ClusterState, List<String>> labels,
                                                  ToDoubleFunction<ClusterState> value) {
        Map<List<String>, Double> out = new HashMap<>();
        states.forEach(s -> out.put(labels.apply(s), value.applyAsDouble(s)));
        return out;
    }

    /** One series per cluster with a status.operation: its current or last operation; none for a cluster that never had one. */
    private static Map<List<String>, Double> operations(Collection<ClusterState> states, BiFunction<String, OperationStatus, List<String>> labels,
                                                        ToDoubleFunction<OperationStatus> value) {
        return each(states.stream().filter(s -> s.getStatus().getOperation() != null).toList(),
                s -> labels.apply(s.getClusterId(), s.getStatus().getOperation()), s -> value.applyAsDouble(s.getStatus().getOperation()));
    }

    /** One series per cluster whose operation counts its steps; none for one that does not (or not yet). */
    private static Map<List<String>, Double> progress(Collection<ClusterState> states, Function<OperationStatus, Integer> value) {
        return operations(states.stream().filter(s -> s.getStatus().getOperation() != null && s.getStatus().getOperation().getTotal() != null
                        && s.getStatus().getOperation().getDone() != null).toList(),
                (id, op) -> List.of(id, op.getOperation(), op.getState(), op.getOperationId()), op -> value.apply(op));
    }

    /** One series per cluster with a status.ca; none for a cluster whose CA is not reported yet. */
    private static Map<List<String>, Double> ca(Collection<ClusterState> states, ToDoubleFunction<CaStatus> value) {
        return each(states.stream().filter(s -> s.getStatus().getCa() != null).toList(), s -> List.of(s.getClusterId()),
                s -> value.applyAsDouble(s.getStatus().getCa()));
    }

    /** One series per topic of status.replication: a change of replication factor under way. */
    private static Map<List<String>, Double> replication(Collection<ClusterState> states, ToDoubleFunction<TopicReplicationStatus> value) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            s.getStatus().getReplication().forEach((topic, r) -> out.put(List.of(s.getClusterId(), topic, String.valueOf(r.getFactor())),
                    value.applyAsDouble(r)));
        }
        return out;
    }

    /**
     * One series per topic of status.topicRefusals: a topic Kafka refuses; none for a cluster deleted or being deleted (its
     * refusals stay in its last state, and nothing there is left to fix, so its alert must resolve).
     */
    private static Map<List<String>, Double> refusals(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        notGoing(states).forEach(s -> s.getStatus().getTopicRefusals().keySet().forEach(topic -> out.put(List.of(s.getClusterId(), topic), 1.0)));
        return out;
    }

    /** One series per key of status.executorRefusals; none for a cluster deleted or being deleted, as for topic refusals. */
    private static Map<List<String>, Double> blocked(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        notGoing(states).forEach(s -> s.getStatus().getExecutorRefusals().keySet().forEach(key -> out.put(List.of(s.getClusterId(), key), 1.0)));
        return out;
    }

    /** A moment as Prometheus timestamps are written: seconds since the epoch, milliseconds as the fraction. */
    static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    /** The clusters neither deleted nor being deleted: a going cluster's leftovers are nobody's to fix, so they raise no alert. */
    static List<ClusterState> notGoing(Collection<ClusterState> states) {
        return states.stream().filter(s -> !Phases.DELETED.equals(s.getStatus().getPhase()) && !s.getSpec().getDeleteRequested()).toList();
    }

    /** One series per SCRAM user whose password's time is known: rotated, or created since users carry createdAt. */
    private static Map<List<String>, Double> passwordsSet(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            s.getUsers().forEach((name, user) -> {
                Instant set = user.getPasswordRotation() != null ? user.getPasswordRotation().getRequestedAt() : user.getCreatedAt();
                if (UserShape.isScram(user.getAuthentication()) && set != null) {
                    out.put(List.of(s.getClusterId(), name), set.toEpochMilli() / 1000.0);
                }
            });
        }
        return out;
    }

    /**
     * One series per cluster with labels, its labels in key order; of two keys written to the same name
     * ({@code app.kubernetes.io/team} and {@code app_kubernetes_io/team}) the first in that order is kept.
     */
    private static Map<Map<String, String>, Double> labels(Collection<ClusterState> states) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            if (s.getSpec().getLabels().isEmpty()) {
                continue;
            }
            Map<String, String> series = new LinkedHashMap<>();
            series.put("cluster", s.getClusterId());
            new TreeMap<>(s.getSpec().getLabels()).forEach((key, value) -> series.putIfAbsent(promLabelName(key), value));
            out.put(series, 1.0);
        }
        return out;
    }

    /** A label key as a Prometheus label name: {@code label_} and the key, every character outside [a-zA-Z0-9_] written {@code _}. */
    static String promLabelName(String key) {
        return "label_" + key.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static Map<List<String>, Double> components(Collection<ClusterState> states, Function<ComponentStatus, Integer> value) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : states) {
            s.getStatus().getComponents().forEach((name, status) -> out.put(List.of(s.getClusterId(), name.toString()), (double) value.apply(status)));
        }
        return out;
    }
}
