package io.coxswain.orchestrator.audit;

import java.time.Instant;

/**
 * Which log entries an audit returns; every filter is optional (null) and they combine with AND.
 * Time filters use the record timestamp in the log (see {@link ReplayOptions} for why), inclusive.
 *
 * @param type  a command type ({@code UpgradeKafka}, {@code RecordObservation}) or an observation type
 *              ({@code ResourceActionObserved}); {@code Undecodable} selects dead-lettered records
 * @param limit at most this many entries (the rest are counted as {@code truncated}); 0 means {@link #DEFAULT_LIMIT}
 */
public record AuditQuery(Instant from, Instant to, String issuer, String type, String clusterId, int limit) {

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
    }

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, 0);
    }

    public AuditQuery cluster(String id) {
        return new AuditQuery(from, to, issuer, type, id, limit);
    }

    public AuditQuery between(Instant f, Instant t) {
        return new AuditQuery(f, t, issuer, type, clusterId, limit);
    }

    public AuditQuery issuer(String i) {
        return new AuditQuery(from, to, i, type, clusterId, limit);
    }

    public AuditQuery type(String t) {
        return new AuditQuery(from, to, issuer, t, clusterId, limit);
    }

    public AuditQuery limit(int n) {
        return new AuditQuery(from, to, issuer, type, clusterId, n);
    }

    boolean matches(ReplayEngine.Event e, String observationType) {
        long ts = e.timestamp();
        if (from != null && ts < from.toEpochMilli() || to != null && ts > to.toEpochMilli()) {
            return false;
        }
        if (clusterId != null && !clusterId.equals(e.clusterId())) {
            return false;
        }
        if (issuer != null && (e.command() == null || !issuer.equals(e.command().getIssuer()))) {
            return false;
        }
        return type == null || type.equals(ReplayEngine.typeOf(e)) || type.equals(observationType);
    }
}
