package io.coxswain.orchestrator.operations.checks;

import io.coxswain.orchestrator.operations.AdminCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;

/**
 * Who leads the KRaft quorum. Rolling the active controller forces an election, so a roll does
 * it last and only once: restarting it early would move leadership to a node that is about to be
 * restarted itself. The leader may change between this answer and the restart; drivers ask again
 * before each controller step.
 */
public record ActiveController(OptionalInt leader, long epoch, String reason) {

    public static ActiveController find(Admin admin, Duration timeout) {
        return of(AdminCalls.await("describeMetadataQuorum", admin.describeMetadataQuorum().quorumInfo(), timeout));
    }

    public static ActiveController of(QuorumInfo quorum) {
        if (quorum.leaderId() < 0) {
            return new ActiveController(OptionalInt.empty(), quorum.leaderEpoch(),
                    "the metadata quorum has no leader (epoch " + quorum.leaderEpoch() + "): an election is in progress or a majority is down");
        }
        return new ActiveController(OptionalInt.of(quorum.leaderId()), quorum.leaderEpoch(),
                "controller " + quorum.leaderId() + " leads the metadata quorum (epoch " + quorum.leaderEpoch() + ")");
    }

    public boolean known() {
        return leader.isPresent();
    }

    /** The given controllers in ascending id order, the active one moved to the end. */
    public List<Integer> rollOrder(Collection<Integer> controllers) {
        List<Integer> order = new ArrayList<>(controllers.stream().sorted().toList());
        if (leader.isPresent() && order.remove(Integer.valueOf(leader.getAsInt()))) {
            order.add(leader.getAsInt());
        }
        return order;
    }
}
