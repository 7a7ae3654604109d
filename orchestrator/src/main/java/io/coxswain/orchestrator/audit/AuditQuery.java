package io.coxswain.orchestrator.audit;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.ClusterLabels;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which log entries an audit returns; every filter is optional (null) and they combine with AND.
 * Time filters use the record timestamp in the log (see {@link ReplayOptions} for why), inclusive.
 *
 * @param type  a command type ({@code UpgradeKafka}, {@code RecordObservation}) or an observation type
 *              ({@code ResourceActionObserved}); {@code Undecodable} selects dead-lettered records
 * @param limit at most this many entries (the rest are counted as {@code truncated}); 0 means {@link #DEFAULT_LIMIT}
 * @param labels a label selector (empty: any cluster) met by the cluster's labels as they were when the command
 *               was decided, or as it left them: what the log says, so a cluster relabelled since is still found for
 *               its past, and a label change shows when a cluster joined or left the selection. A record refused
 *               before the fold (bad signature, wrong key) has no cluster state and matches no selector
 * @param readable the clusters the asker may read (a gateway's roles): others' entries are not counted (in matched or
 *                 scanned), not returned
 */
public record AuditQuery(Instant from, Instant to, String issuer, String type, String clusterId, int limit,
                         List<ClusterLabels.Requirement> labels, Predicate<String> readable) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 100_000;

    public AuditQuery {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("audit range is empty: from " + from + " is after to " + to);
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " (0 for " + DEFAULT_LIMIT + "), got " + limit);
        }
        limit = limit == 0 ? DEFAULT_LIMIT : limit;
        labels = labels == null ? List.of() : List.copyOf(labels);
        readable = readable == null ? id -> true : readable;
    }

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, 0, List.of(), null);
    }

    public AuditQuery cluster(String id) {
        return new AuditQuery(from, to, issuer, type, id, limit, labels, readable);
    }

    public AuditQuery between(Instant f, Instant t) {
        return new AuditQuery(f, t, issuer, type, clusterId, limit, labels, readable);
    }

    public AuditQuery issuer(String i) {
        return new AuditQuery(from, to, i, type, clusterId, limit, labels, readable);
    }

    public AuditQuery type(String t) {
        return new AuditQuery(from, to, issuer, t, clusterId, limit, labels, readable);
    }

    public AuditQuery labels(List<ClusterLabels.Requirement> selector) {
        return new AuditQuery(from, to, issuer, type, clusterId, limit, selector, readable);
    }

    /** Only entries of clusters {@code readable} accepts (its answers are asked once per cluster per query, so keep it cheap). */
    public AuditQuery readableBy(Predicate<String> clusters) {
        return new AuditQuery(from, to, issuer, type, clusterId, limit, labels, clusters);
    }

    public AuditQuery limit(int n) {
        return new AuditQuery(from, to, issuer, type, clusterId, n, labels, readable);
    }

    boolean matches(ReplayEngine.Event e, String observationType) {
        long ts = e.timestamp();
        if (from != null && ts < from.toEpochMilli() || to != null && ts > to.toEpochMilli()) {
            return false;
        }
        if (clusterId != null && !clusterId.equals(e.clusterId()) || !readable.test(e.clusterId())) {
            return false;
        }
        if (issuer != null && (e.command() == null || !issuer.equals(e.command().getIssuer()))) {
            return false;
        }
        if (!labels.isEmpty() && !labelled(e.before()) && !labelled(e.after())) {
            return false;
        }
        return type == null || type.equals(ReplayEngine.typeOf(e)) || type.equals(observationType);
    }

    private boolean labelled(ClusterState state) {
        return state != null && ClusterLabels.matches(labels, state.getSpec().getLabels());
    }
}
