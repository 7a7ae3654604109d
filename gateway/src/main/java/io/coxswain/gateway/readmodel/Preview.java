package io.coxswain.gateway.readmodel;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.orchestrator.audit.FieldDiff;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.Held;
import io.coxswain.orchestrator.topology.NewerDecisionFields;
import io.coxswain.orchestrator.topology.NewerStateFields;
import io.coxswain.orchestrator.topology.StoredStates;
import java.util.List;
import java.util.Optional;

/**
 * What the fold would decide for a command, computed by the fold's own code ({@link CommandFold})
 * against the gateway's read model, and written nowhere: a dry run. The model may lag the log, so
 * the preview names the version it was computed against; a command sent afterwards with that
 * {@code expectedVersion} is decided exactly as previewed, or refused if the cluster moved on.
 *
 * <p>A cluster whose latest state a newer state schema wrote, holding what this gateway's lacks, is previewed as a node
 * of this version decides it ({@link NewerStateFields}, the node's own check and wording): rejected, nothing folded onto
 * the rest. Folding onto what the gateway reads of it would predict an acceptance the node refuses. So is a repeat of a
 * command id whose first decision a newer events schema wrote, holding what this gateway's lacks ({@link NewerDecisionFields}):
 * rejected, not answered with the rest of that decision. (An executor's observation, which the node drops with a warning
 * instead, is answered the same rejection: a dry run answers something.)
 *
 * @param asOfVersion the cluster's version in the read model (0: no such cluster yet)
 * @param changes     every field the command would change, empty unless accepted
 */
public record Preview(long asOfVersion, CommandFold.Step step, List<FieldDiff.FieldChange> changes) {

    static Preview of(Command c, ClusterViews.Latest latest, CommandLog decisions) {
        ClusterState before = latest.shown().orElse(null);
        StoredStates memory = new StoredStates() {
            @Override
            public Optional<DroppedFields> newerState(String clusterId) {
                return latest.newer();
            }

            @Override
            public Optional<ClusterState> state(String clusterId) {
                return Optional.ofNullable(before);
            }

            @Override
            public Optional<Decision> decided(String clusterId, String commandId) {
                return decisions.decided(clusterId, commandId);
            }

            @Override
            public Optional<DroppedFields> newerDecision(String clusterId, String commandId) {
                return decisions.newerDecision(clusterId, commandId);
            }
        };
        CommandFold.Step step = Held.check(memory, c)
                .map(held -> new CommandFold.Step(CommandFold.refused(c, held.rejection(), -1), Optional.empty(), false))
                .orElseGet(() -> CommandFold.apply(memory, c, -1));
        List<FieldDiff.FieldChange> changes = step.newState().map(after -> FieldDiff.between(before, after)).orElse(List.of());
        return new Preview(before == null ? 0 : before.getVersion(), step, changes);
    }
}
