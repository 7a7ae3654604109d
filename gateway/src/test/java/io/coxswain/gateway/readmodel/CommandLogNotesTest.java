package io.coxswain.gateway.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.registry.RegisteredSchema;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.fold.Rejection;
import io.coxswain.orchestrator.topology.CommandRecord;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the read model says it cannot read of a decision a newer events schema wrote shows on its command's entry, whether
 * the decision is read before or after the command record, and beside the command's own note; a decision read whole adds
 * none.
 */
class CommandLogNotesTest {

    private static final DroppedFields HINT = new DroppedFields(new RegisteredSchema("coxswain.events-value", NewerSchemas.EVENTS_VERSION + 1,
            99, null, null), List.of("outcome.hint"), List.of(), null);
    private static final String DECISION_NOTE = "its decision was written with events schema v" + (NewerSchemas.EVENTS_VERSION + 1)
            + ", which this gateway (v" + NewerSchemas.EVENTS_VERSION + ") cannot fully read: it sets outcome.hint, a field this gateway"
            + " does not know and would drop";

    private final CommandLog log = new CommandLog();

    @Test
    void aNewerDecisionsNoteShowsOnItsCommandInEitherOrder() {
        Command after = create("after");
        log.onCommand(new CommandRecord(after, Optional.empty()), 0, 1);
        log.onDecision(refused(after), HINT);
        assertThat(log.command("after", "shop").orElseThrow().note()).isEqualTo(DECISION_NOTE);

        Command before = create("before");
        log.onDecision(refused(before), HINT);
        log.onCommand(new CommandRecord(before, Optional.empty()), 0, 2);
        assertThat(log.command("before", "shop").orElseThrow().note()).isEqualTo(DECISION_NOTE);
        assertThat(log.history("shop", 0, 10, true)).extracting(CommandView::note).containsExactly(DECISION_NOTE, DECISION_NOTE);

        Command whole = create("whole");
        log.onCommand(new CommandRecord(whole, Optional.empty()), 0, 3);
        log.onDecision(refused(whole));
        assertThat(log.command("whole", "shop").orElseThrow().note()).isNull();
    }

    private static Command create(String commandId) {
        return Commands.on("shop").commandId(commandId).issuer("bob").createCluster("4.1.0", 1, 1, "10Gi");
    }

    private static io.coxswain.avro.event.Decision refused(Command c) {
        return CommandFold.refused(c, new Rejection(RejectionCode.OTHER, "refused for the test"), 0);
    }
}
