package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One step of {@code state = fold(decide, commands)}: dedupe by command id, DECIDE, then FOLD. Used
 * unchanged by the Kafka Streams processor and by replay, which is what makes a replay of the log
 * reproduce the live state.
 */
public final class CommandFold {

    /** What the fold remembers between commands: the latest state and the first decision per command id. */
    public interface Memory {
        Optional<ClusterState> state(String clusterId);

        Optional<Decision> decided(String clusterId, String commandId);
    }

    /**
     * @param decision  what to emit on the events topic
     * @param newState  present when the command was accepted
     * @param duplicate the command id had been decided before; nothing was applied
     */
    public record Step(Decision decision, Optional<ClusterState> newState, boolean duplicate) {
        public boolean accepted() {
            return decision.getOutcome() instanceof CommandAccepted;
        }
    }

    private CommandFold() {
    }

    /** @param offset the command record's offset in the commands topic, named in the decision so its sender can find it */
    public static Step apply(Memory memory, Command c, long offset) {
        Optional<Decision> prior = memory.decided(c.getClusterId(), c.getCommandId());
        if (prior.isPresent()) {
            Decision repeat = Decision.newBuilder(prior.get()).setDuplicate(true).setCommandOffset(offset).build();
            return new Step(repeat, Optional.empty(), true);
        }
        ClusterState current = memory.state(c.getClusterId()).orElse(null);
        Optional<Rejection> rejection = Decide.check(current, c);
        OptionalInt needed = rejection.isPresent() ? OptionalInt.empty() : ApprovalControl.approvalsNeeded(current, c);
        if (needed.isPresent()) {
            rejection = ApprovalControl.checkProposal(current, c);
        }
        if (rejection.isPresent()) {
            return new Step(decision(c, new CommandRejected(rejection.get().code(), rejection.get().reason(),
                    current == null ? null : current.getVersion()), offset, true), Optional.empty(), false);
        }
        if (needed.isPresent()) { // covered by the cluster's approval policy: recorded, applied once others approve it
            ClusterState proposed = Proposals.propose(current, c, needed.getAsInt());
            return new Step(decision(c, new CommandAccepted(proposed.getVersion(), needed.getAsInt()), offset, true), Optional.of(proposed), false);
        }
        ClusterState next = Evolve.apply(current, c);
        return new Step(decision(c, new CommandAccepted(next.getVersion(), 0), offset, true), Optional.of(next), false);
    }

    /**
     * A record refused before DECIDE ({@code admitted=false}), outside the rules: a key that is not its cluster id, a
     * signature that does not verify, a field this node's schema lacks. Rejected, and remembered nowhere, so its command
     * id stays free to be sent again.
     */
    public static Decision refused(Command c, Rejection rejection, long offset) {
        return refused(c.getCommandId(), c.getClusterId(), Commands.typeOf(c), c.getIssuer(), c.getIssuedAt(), rejection, offset);
    }

    /** {@link #refused(Command, Rejection, long)} of a record this node cannot decode into a Command: a type it lacks. */
    public static Decision refused(String commandId, String clusterId, String type, String issuer, Instant issuedAt, Rejection rejection,
                                   long offset) {
        return decision(commandId, clusterId, type, issuer, issuedAt, new CommandRejected(rejection.code(), rejection.reason(), null), offset,
                false);
    }

    private static Decision decision(Command c, Object outcome, long offset, boolean admitted) {
        return decision(c.getCommandId(), c.getClusterId(), Commands.typeOf(c), c.getIssuer(), c.getIssuedAt(), outcome, offset, admitted);
    }

    private static Decision decision(String commandId, String clusterId, String type, String issuer, Instant issuedAt, Object outcome,
                                     long offset, boolean admitted) {
        return Decision.newBuilder()
                .setCommandId(commandId)
                .setClusterId(clusterId)
                .setCommandType(type)
                .setIssuer(issuer)
                .setIssuedAt(issuedAt)
                .setDuplicate(false)
                .setAdmitted(admitted)
                .setCommandOffset(offset)
                .setOutcome(outcome)
                .build();
    }
}
