package io.coxswain.gateway.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.FoldMemories;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.CommandRecord;
import io.coxswain.orchestrator.topology.NewerDecisionFields;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * A dry run of a repeat of a command id whose first decision, read from the events topic as the read model reads it, a
 * newer events schema wrote holding what this gateway's lacks: answered as a node of the gateway's version answers it, the
 * node's rejection word for word (not the duplicate the rest of that decision would make), whether the gateway could decode
 * the decision or not; a first decision it reads whole is previewed as a duplicate, as always.
 */
class PreviewNewerDecisionTest {

    private static final Schema EVENTS = NewerWriters.eventsSchema();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final Codecs codecs;
    private final CommandLog log = new CommandLog();

    PreviewNewerDecisionTest() {
        ShippedSchemas.registerAll(registry, Topics.defaults());
        codecs = Codecs.of(registry, Topics.defaults());
    }

    @Test
    void aDryRunOfARepeatWhoseFirstDecisionThisGatewayCannotReadWholeAnswersTheNodesRejection() {
        Command pending = create("shop");
        CommandFold.Step first = decided(pending, NewerWriters.awaitingSignoffs(2));
        assertRefused(pending, first);

        Command deferred = create("ledger");
        assertRefused(deferred, decided(deferred, NewerWriters.deferred(EVENTS, "2027-01-04")));

        Command whole = create("orders");
        CommandFold.Step accepted = decided(whole, NewerWriters.awaitingSignoffs(0));
        Preview repeat = preview(whole, accepted);
        assertThat(repeat.step().duplicate()).isTrue();
        assertThat(((CommandAccepted) repeat.step().decision().getOutcome()).getVersion()).isEqualTo(1);
    }

    private void assertRefused(Command c, CommandFold.Step first) {
        Preview p = preview(c, first);
        Decision d = p.step().decision();
        assertThat(d.getAdmitted()).isFalse();
        assertThat(p.step().duplicate()).isFalse();
        assertThat(p.changes()).isEmpty();
        CommandRejected r = (CommandRejected) d.getOutcome();
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        DroppedFields newer = log.newerDecision(c.getClusterId(), c.getCommandId()).orElseThrow();
        assertThat(r.getReason()).isEqualTo(NewerDecisionFields.rejection(c, newer, NewerSchemas.EVENTS_VERSION).reason())
                .contains("repeats a command id decided before", "events schema v" + (NewerSchemas.EVENTS_VERSION + 1));
    }

    private Preview preview(Command c, CommandFold.Step first) {
        return Preview.of(c, new ClusterViews.Latest(first.newState(), Optional.empty()), log);
    }

    /** {@code c} decided by a newer node, its decision written with {@link #EVENTS} ({@code set}) and read as the read model does. */
    private CommandFold.Step decided(Command c, Consumer<GenericRecord> set) {
        log.onCommand(new CommandRecord(c, Optional.empty()), 0, 0);
        CommandFold.Step step = CommandFold.apply(FoldMemories.holding(null), c, 0);
        byte[] written = NewerWriters.encode(registry, codecs.decisions(), EVENTS, step.decision(), set);
        AvroWireCodec.Read<Decision> read = codecs.decisions().read(null, written);
        if (read.decoded() == null) {
            log.onUnreadableDecision(read.dropped().orElseThrow(), "events partition 0, offset 0");
        } else {
            log.onDecision(read.decoded(), read.dropped().orElse(null));
        }
        return step;
    }

    private static Command create(String cluster) {
        return Commands.on(cluster).commandId("create-" + cluster).issuer("bob").createCluster("4.1.0", 1, 3, "10Gi");
    }
}
