package io.coxswain.orchestrator.audit;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.wire.StoredCommands;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pending proposal holds its command as the bytes of the commands schema its Coxswain shipped. A replay by a
 * later Coxswain stores the same command with a later version, in other bytes: verify compares the commands they
 * hold, each decoded with its own version and written again with this Coxswain's.
 */
final class StoredProposals {

    private StoredProposals() {
    }

    /** {@code state} itself when every proposal is in this Coxswain's form (or in a newer one, which it cannot read); else a copy in it. */
    static ClusterState inCurrentForm(ClusterState state) {
        Map<String, Proposal> proposals = state.getSpec().getProposals();
        if (proposals.values().stream().noneMatch(StoredProposals::older)) {
            return state;
        }
        ClusterState copy = ClusterState.newBuilder(state).build();
        Map<String, Proposal> current = new TreeMap<>(proposals);
        current.replaceAll((id, p) -> older(p) ? Proposal.newBuilder(p).setCommandSchemaVersion(StoredCommands.CURRENT_VERSION)
                .setCommand(ByteBuffer.wrap(StoredCommands.encode(StoredCommands.decode(p.getCommand(), p.getCommandSchemaVersion()))))
                .build() : p);
        copy.getSpec().setProposals(current);
        return copy;
    }

    private static boolean older(Proposal p) {
        return p.getCommandSchemaVersion() < StoredCommands.CURRENT_VERSION && StoredCommands.ships(p.getCommandSchemaVersion());
    }
}
