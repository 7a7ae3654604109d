package io.coxswain.orchestrator.operations.checks;

import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.QuorumInfo.ReplicaState;

/**
 * May this controller be restarted? Only if, without it, the voters that are caught up with the
 * leader still form a majority of the whole voter set: otherwise the quorum could not commit (or
 * elect) while it is away. The leader counts as caught up; a follower is caught up when its log
 * end offset is within {@code maxLag} records of the leader's.
 *
 * <p>A quorum of one or two voters loses its majority whenever any voter restarts: no order of
 * restarts avoids that, so refusing would leave such a cluster un-upgradable forever. There the
 * controller may restart once every other voter is caught up, and the verdict says that metadata
 * changes (not produce and fetch on existing leaders) pause while it is away.
 */
public final class ControllerQuorumCaughtUp {

    public static final String CHECK = "ControllerQuorumCaughtUp";
    /** The metadata log moves a few records a second at rest; a few hundred behind is seconds of catch-up. */
    public static final long DEFAULT_MAX_LAG = 1_000;

    private final int controller;
    private final long maxLag;

    private ControllerQuorumCaughtUp(int controller, long maxLag) {
        this.controller = controller;
        this.maxLag = maxLag;
    }

    public static ControllerQuorumCaughtUp of(int controller) {
        return new ControllerQuorumCaughtUp(controller, DEFAULT_MAX_LAG);
    }

    public ControllerQuorumCaughtUp maxLag(long records) {
        return new ControllerQuorumCaughtUp(controller, records);
    }

    public Decision check(Admin admin, Duration timeout) {
        return evaluate(AdminCalls.await("describeMetadataQuorum", admin.describeMetadataQuorum().quorumInfo(), timeout));
    }

    public Decision evaluate(QuorumInfo quorum) {
        int leader = quorum.leaderId();
        if (leader < 0) {
            return Decision.blocked(CHECK, "cannot restart controller " + controller
                    + ": the metadata quorum has no leader (epoch " + quorum.leaderEpoch() + ")", List.of());
        }
        List<ReplicaState> voters = quorum.voters();
        if (voters.stream().noneMatch(v -> v.replicaId() == controller)) {
            return Decision.go(CHECK, "controller " + controller + " is not a voter of the metadata quorum "
                    + voterIds(voters) + "; restarting it cannot cost the quorum", List.of());
        }
        Optional<ReplicaState> leaderState = voters.stream().filter(v -> v.replicaId() == leader).findFirst();
        long leaderEnd = leaderState.map(ReplicaState::logEndOffset).orElse(quorum.highWatermark());
        int majority = voters.size() / 2 + 1;
        int caughtUp = 0;
        List<String> findings = new ArrayList<>();
        for (ReplicaState v : voters) {
            if (v.replicaId() == controller) {
                continue;
            }
            if (v.replicaId() == leader) {
                caughtUp++;
                findings.add("controller " + leader + " is the leader (log end offset " + leaderEnd + ")");
                continue;
            }
            long lag = leaderEnd - v.logEndOffset();
            if (v.logEndOffset() >= 0 && lag <= maxLag) {
                caughtUp++;
                findings.add("controller " + v.replicaId() + " is caught up (" + Math.max(lag, 0) + " records behind)");
            } else {
                findings.add("controller " + v.replicaId() + " lags " + (v.logEndOffset() < 0 ? "by an unknown amount" : lag + " records")
                        + " behind leader " + leader + " (bound " + maxLag + ")");
            }
        }
        boolean noRestartKeepsMajority = voters.size() - 1 < majority;
        if (noRestartKeepsMajority && caughtUp == voters.size() - 1) {
            return Decision.go(CHECK, "controller " + controller + " can restart: a quorum of " + voters.size()
                    + " voter(s) cannot keep a majority through any restart, so metadata changes pause until it is back"
                    + (caughtUp > 0 ? "; the other voter is caught up" : ""), findings);
        }
        if (caughtUp >= majority) {
            return Decision.go(CHECK, "controller " + controller + " can restart: " + caughtUp + " other caught-up voter(s) of "
                    + voters.size() + " keep a majority of " + majority, findings);
        }
        return Decision.blocked(CHECK, "cannot restart controller " + controller + ": only " + caughtUp
                + " other voter(s) of " + voters.size() + " are caught up, a majority needs " + majority, findings);
    }

    private static List<Integer> voterIds(List<ReplicaState> voters) {
        return voters.stream().map(ReplicaState::replicaId).sorted().toList();
    }
}
