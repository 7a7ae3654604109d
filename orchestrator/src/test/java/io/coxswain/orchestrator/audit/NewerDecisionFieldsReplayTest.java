package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.RegisteredSchema;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.FoldMemories;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.NewerDecisionFields;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A log a node left that did not answer a repeat of a command id because the id's first decision, a newer node's, held a
 * field its events schema lacked ({@link NewerDecisionFields}): the repeat rejected OTHER, not a decision. A replay decides
 * every command itself, so it answers the repeat as a duplicate of the first outcome; on a real broker with Coxswain's
 * registry on the schemas topic, {@code cox verify} reports that one decision naming the rule and quoting the node, not as
 * a changed rule, nor as a command that took effect once sent again.
 */
class NewerDecisionFieldsReplayTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void verifyNamesTheRuleWhenThisReplayAnswersARepeatANodeDidNot() {
        try (AuditFixture.Fresh log = AuditFixture.Fresh.open()) {
            Codecs codecs = log.codecs();
            Command create = Commands.on("ledger").issuer("alice").issuedAt(T0).commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");
            List<RecordMetadata> sent = AuditFixture.send(log.producer(), log.topics().commands(),
                    List.of(raw(codecs.commands().encode(create)), raw(codecs.commands().encode(create))));

            CommandFold.Step created = CommandFold.apply(FoldMemories.holding(null), create, sent.get(0).offset());
            RegisteredSchema newer = log.registry().register(codecs.decisions().subject(), NewerWriters.eventsSchema());
            DroppedFields signoffs = new DroppedFields(newer, List.of("outcome.awaitingSignoffs"), List.of(), null);
            Decision refused = CommandFold.refused(create, NewerDecisionFields.rejection(create, signoffs, NewerSchemas.EVENTS_VERSION),
                    sent.get(1).offset());
            AuditFixture.send(log.producer(), log.topics().events(), List.of(raw(codecs.decisions().encode(created.decision())),
                    raw(codecs.decisions().encode(refused))));
            AuditFixture.send(log.producer(), log.topics().state(), List.of(raw(codecs.states().encode(created.newState().orElseThrow()))));

            VerifyReport report = Verifier.verify(log.replayer(), "ledger");
            assertThat(report.identical()).isFalse();
            assertThat(report.differences()).singleElement().satisfies(d -> {
                assertThat(d.path()).isEqualTo("decision of create-ledger (CreateCluster, partition 0 offset " + sent.get(1).offset() + ")");
                assertThat(d.replayed().asText()).as("the first outcome, as a duplicate").isEqualTo("accepted, version 1");
                assertThat(d.live().asText()).isEqualTo("rejected OTHER");
                assertThat(d.explanation()).startsWith("decided otherwise by this replay").contains(
                        "the command repeats a command id decided before, and that node could not read the id's first decision whole"
                                + " (a newer node wrote it with events schema v" + newer.version(),
                        "README, States and decisions written with a newer schema",
                        "The recorded rejection was not a decision: nothing was done, and the id's first outcome stands; this replay"
                                + " answers the id as a duplicate of its first outcome",
                        "Not an alteration: the node said", "it sets outcome.awaitingSignoffs",
                        "this node reads events schema v" + NewerSchemas.EVENTS_VERSION)
                        .doesNotContain("the rules changed since", "took effect only if it was sent again");
            });
        }
    }

    private static AuditFixture.Raw raw(byte[] value) {
        return new AuditFixture.Raw(AuditFixture.Raw.key("ledger"), value, null, T0.toEpochMilli());
    }
}
