package io.coxswain.gateway.readmodel;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.audit.FieldDiff;
import io.coxswain.orchestrator.fold.CommandFold;
import java.util.List;
import java.util.Optional;

/**
 * What the fold would decide for a command, computed by the fold's own code ({@link CommandFold})
 * against the gateway's read model, and written nowhere: a dry run. The model may lag the log, so
 * the preview names the version it was computed against; a command sent afterwards with that
 * {@code expectedVersion} is decided exactly as previewed, or refused if the cluster moved on.
 *
 * @param asOfVersion the cluster's version in the read model (0: no such cluster yet)
 * @param changes     every field the command would change, empty unless accepted
 */
public record Preview(long asOfVersion, CommandFold.Step step, List<FieldDiff.FieldChange> changes) {

    static Preview of(Command c, Optional<ClusterState> current, CommandLog decisions) {
        ClusterState before = current.orElse(null);
        CommandFold.Memory memory = new CommandFold.Memory() {
            @Override
            public Optional<ClusterState> state(String clusterId) {
                return Optional.ofNullable(before);
            }

            @Override
            public Optional<Decision> decided(String clusterId, String commandId) {
                return decisions.decided(clusterId, commandId);
            }
        };
        CommandFold.Step step = CommandFold.apply(memory, c, -1);
        List<FieldDiff.FieldChange> changes = step.newState().map(after -> FieldDiff.between(before, after)).orElse(List.of());
        return new Preview(before == null ? 0 : before.getVersion(), step, changes);
    }
}
