package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Rejection;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A repeat of a command id whose first decision a newer Coxswain's node wrote, with a newer events schema, holding what this
 * node's lacks (a field set to other than its default, such as a count of approvals still awaited; an outcome type, an
 * enum symbol): after a rollback, or while an older node owns the cluster's partition mid-upgrade. The fold answers a repeat
 * with its first decision re-encoded (the sender finds its answer by the repeat's offset, so the stored bytes cannot be sent
 * as they are), and Avro's schema resolution would drop those fields: the sender would read another outcome than the
 * first ("applied" for what awaits approval), and one this node cannot decode at all would stop the fold. So the node does
 * not answer such a repeat: a command is rejected ({@code OTHER}, {@code admitted=false}: nothing stored, the id's first
 * outcome stands) naming what the node cannot read and what to do; an executor's observation is dropped with a warning.
 * Only a repeat reads the first decision, once for this check and the fold ({@link StoredStates#newerDecision}); a command
 * id not decided yet costs nothing more.
 */
public final class NewerDecisionFields {

    private static final NewerSchemas.Stored FIRST_DECISION = new NewerSchemas.Stored("events", "its first decision");

    private NewerDecisionFields() {
    }

    /** What the node does instead of answering {@code c} as a repeat: empty when its id's first decision is one it reads whole, or none. */
    static Optional<Held> check(StoredStates memory, Command c) {
        return memory.newerDecision(c.getClusterId(), c.getCommandId()).map(prior -> new Held(c,
                rejection(c, prior, NewerSchemas.EVENTS_VERSION),
                "observation " + c.getCommandId() + " of cluster '" + c.getClusterId() + "' dropped, not answered: its command id was"
                        + " decided before, and " + FIRST_DECISION.cannotRead(prior, NewerSchemas.EVENTS_VERSION) + ". The executor"
                        + " reports again what the cluster's state does not show: " + whatToDo(prior.writer().version())));
    }

    /** @param nodeVersion the released events schema version this node reads with ({@link NewerSchemas#EVENTS_VERSION}) */
    public static Rejection rejection(Command c, DroppedFields prior, int nodeVersion) {
        int writer = prior.writer().version();
        return new Rejection(RejectionCode.OTHER, Commands.typeOf(c) + " " + c.getCommandId() + " on cluster '" + c.getClusterId()
                + "' repeats a command id decided before, and was not answered as a duplicate: "
                + FIRST_DECISION.cannotRead(prior, nodeVersion) + ". Answering with what this node reads of it would misreport the first"
                + " outcome, so nothing was done: " + whatToDo(writer) + ". The command id is taken and its first outcome stands: do not"
                + " send the command again under this id; read that outcome with a gateway or cox that knows events schema v" + writer
                + " once they are upgraded");
    }

    private static String whatToDo(int writer) {
        return FIRST_DECISION.upgrade(writer) + "; " + FIRST_DECISION.noRollback(writer);
    }

    /** Whether a recorded rejection's reason is this rule's. */
    public static boolean isItsReason(String reason) {
        return FIRST_DECISION.isItsReason(reason);
    }

    /** The events schema version that wrote the first decision a rejection of this rule names. */
    public static OptionalInt writerVersion(String reason) {
        return FIRST_DECISION.writerVersion(reason);
    }
}
