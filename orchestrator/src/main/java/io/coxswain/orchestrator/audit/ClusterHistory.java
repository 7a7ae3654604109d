package io.coxswain.orchestrator.audit;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster's past by bounded replay: the log is read from the start and only records keyed by the
 * cluster are decoded and folded, stopping as soon as the answer is known. Cost grows with the bytes of
 * the command topic before the answer (fetching) plus the cluster's own commands (decoding), and nothing
 * is kept between queries; see AuditService for the measured numbers and why no per-version index is kept.
 */
public final class ClusterHistory {

    /** Fields every accepted command changes; left out of a command's own list of changes. */
    private static final Set<String> BOOKKEEPING = Set.of("version", "updatedAt", "lastCommandId");

    private ClusterHistory() {
    }

    /** The state that was live at {@code asOf} (by record timestamp); empty if the cluster did not exist yet. */
    public static Optional<ClusterState> asOf(Replayer replayer, String clusterId, Instant asOf) {
        return Optional.ofNullable(replayer.replay(ReplayOptions.all().cluster(clusterId).until(asOf)).states().get(clusterId));
    }

    /** The state at exactly {@code version}; empty if the cluster never reached it. */
    public static Optional<ClusterState> atVersion(Replayer replayer, String clusterId, long version) {
        ClusterState[] found = {null};
        replayer.replay(ReplayOptions.all().cluster(clusterId), e -> {
            if (e.accepted() && e.after().getVersion() == version) {
                found[0] = e.after();
                return false;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * @throws IllegalArgumentException if the versions are not 0 &lt;= from &lt;= to
     * @throws NoSuchElementException   if the cluster never reached {@code toVersion}
     */
    public static VersionDiff diff(Replayer replayer, String clusterId, long fromVersion, long toVersion) {
        if (fromVersion < 0 || toVersion < fromVersion) {
            throw new IllegalArgumentException("versions must satisfy 0 <= from <= to, got from " + fromVersion + " to " + toVersion);
        }
        ClusterState[] ends = {null, null};
        long[] latest = {0};
        List<VersionDiff.Cause> causes = new ArrayList<>();
        Map<String, Set<String>> causedBy = new LinkedHashMap<>();
        replayer.replay(ReplayOptions.all().cluster(clusterId), e -> {
            if (!e.accepted()) {
                return true;
            }
            long v = e.after().getVersion();
            latest[0] = v;
            if (v == fromVersion) {
                ends[0] = e.after();
            }
            if (v > fromVersion && v <= toVersion) {
                List<String> paths = new ArrayList<>();
                for (FieldDiff.FieldChange c : FieldDiff.between(e.before(), e.after())) {
                    causedBy.computeIfAbsent(c.path(), k -> new LinkedHashSet<>()).add(e.command().getCommandId());
                    if (!BOOKKEEPING.contains(c.path())) {
                        paths.add(c.path());
                    }
                }
                causes.add(new VersionDiff.Cause(v, e.command().getCommandId(), Commands.typeOf(e.command()), e.command().getIssuer(),
                        e.command().getIssuedAt(), e.loggedAt(), e.partition(), e.offset(), paths));
            }
            if (v == toVersion) {
                ends[1] = e.after();
                return false;
            }
            return true;
        });
        if (ends[1] == null && toVersion > 0) {
            throw new NoSuchElementException("cluster " + clusterId + " has no version " + toVersion
                    + (latest[0] == 0 ? ": the log has no accepted command for it" : "; its latest version is " + latest[0]));
        }
        List<VersionDiff.Change> changes = new ArrayList<>();
        if (ends[1] != null) {
            for (FieldDiff.FieldChange c : FieldDiff.between(ends[0], ends[1])) {
                changes.add(new VersionDiff.Change(c, List.copyOf(causedBy.getOrDefault(c.path(), causedByPrefix(causedBy, c.path())))));
            }
        }
        return new VersionDiff(clusterId, fromVersion, toVersion, ends[0], ends[1], changes, causes);
    }

    /**
     * A change seen whole at one level (e.g. a topic added) may have been made by commands that touched
     * its sub-fields step by step, or the reverse: match paths that contain one another.
     */
    private static Set<String> causedByPrefix(Map<String, Set<String>> causedBy, String path) {
        Set<String> out = new LinkedHashSet<>();
        causedBy.forEach((p, ids) -> {
            if (p.startsWith(path) || path.startsWith(p) || ".".equals(p)) {
                out.addAll(ids);
            }
        });
        return out;
    }
}
