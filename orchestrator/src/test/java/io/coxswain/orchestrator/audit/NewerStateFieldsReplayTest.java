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
import io.coxswain.orchestrator.topology.NewerSchemas;
import io.coxswain.orchestrator.topology.NewerStateFields;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A log a node left that folded nothing onto a cluster's stored state a newer fold wrote ({@link NewerStateFields}): a
 * command rejected OTHER as not decided, then sent again under its id once the node was upgraded and accepted. A replay
 * folds every state itself, so it decides the first record; on a real broker with Coxswain's registry on the schemas
 * topic, {@code cox verify} reports that one decision naming the rule and quoting the node, not as a changed rule, and
 * tells a replay by a Coxswain older than the state's writer to verify with one that knows it.
 */
class NewerStateFieldsReplayTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** The node read state schema v(current - 1); the state was written with the current one, holding a field added in it. */
    @Test
    void verifyNamesTheRuleWhenThisReplayDecidesWhatANodeDidNotFoldOntoANewerState() {
        try (AuditFixture.Fresh log = AuditFixture.Fresh.open()) {
            RegisteredSchema current = log.registry().byId(log.codecs().states().writerSchemaId()).orElseThrow();
            VerifyReport report = verifyAfterRefusal(log, current, NewerSchemas.STATE_VERSION - 1);
            assertThat(report.differences()).singleElement().satisfies(d -> {
                assertThat(d.replayed().asText()).isEqualTo("accepted, version 2");
                assertThat(d.live().asText()).isEqualTo("rejected OTHER");
                assertThat(d.explanation()).startsWith("decided otherwise by this replay").contains(
                        "that node could not read the cluster's state whole (a newer fold wrote it with state schema v" + NewerSchemas.STATE_VERSION,
                        "README, States and decisions written with a newer schema", "this replay folds every state itself",
                        "it sets spec.mirrors.east.restart", "this node reads state schema v" + (NewerSchemas.STATE_VERSION - 1))
                        .doesNotContain("the rules changed since", "verify with a Coxswain that knows");
            });
        }
    }

    /** The state was written with a schema newer than this replay's: the replay is as old as the node, and says so. */
    @Test
    void aReplayOlderThanTheStatesWriterSaysToVerifyWithOneThatKnowsIt() {
        try (AuditFixture.Fresh log = AuditFixture.Fresh.open()) {
            RegisteredSchema newer = log.registry().register(log.codecs().states().subject(), NewerWriters.stateSchema());
            VerifyReport report = verifyAfterRefusal(log, newer, NewerSchemas.STATE_VERSION);
            assertThat(report.differences()).singleElement().satisfies(d -> assertThat(d.explanation()).contains(
                    "that node could not read the cluster's state whole", "This replay's Coxswain reads state schema v" + NewerSchemas.STATE_VERSION
                            + ", older than v" + newer.version(), "verify with a Coxswain that knows state schema v" + newer.version()));
        }
    }

    /**
     * Creates ledger, then a ScaleBrokers a node reading state schema {@code nodeVersion} rejected because ledger's state,
     * written with {@code writer}, set a field it lacked, then the same command again, accepted; the events and state topics
     * hold what the nodes recorded. Verifies ledger and checks the states agree: the one difference is the refused decision.
     */
    private static VerifyReport verifyAfterRefusal(AuditFixture.Fresh log, RegisteredSchema writer, int nodeVersion) {
        Codecs codecs = log.codecs();
        Command create = Commands.on("ledger").issuer("alice").issuedAt(T0).commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");
        Command scale = Commands.on("ledger").issuer("alice").issuedAt(T0.plusSeconds(1)).commandId("scale-ledger").scaleBrokers(5);
        List<RecordMetadata> sent = AuditFixture.send(log.producer(), log.topics().commands(),
                List.of(raw(codecs.commands().encode(create)), raw(codecs.commands().encode(scale)), raw(codecs.commands().encode(scale))));

        CommandFold.Step created = CommandFold.apply(FoldMemories.holding(null), create, sent.get(0).offset());
        DroppedFields restart = new DroppedFields(writer, List.of("spec.mirrors.east.restart"), List.of(), null);
        Decision refused = CommandFold.refused(scale, NewerStateFields.rejection(scale, restart, nodeVersion), sent.get(1).offset());
        CommandFold.Step resent = CommandFold.apply(FoldMemories.holding(created.newState().orElseThrow()), scale, sent.get(2).offset());
        AuditFixture.send(log.producer(), log.topics().events(), List.of(raw(codecs.decisions().encode(created.decision())),
                raw(codecs.decisions().encode(refused)), raw(codecs.decisions().encode(resent.decision()))));
        AuditFixture.send(log.producer(), log.topics().state(), List.of(raw(codecs.states().encode(resent.newState().orElseThrow()))));

        VerifyReport report = Verifier.verify(log.replayer(), "ledger");
        assertThat(report.identical()).isFalse();
        assertThat(report.differences()).singleElement().satisfies(d -> assertThat(d.path())
                .isEqualTo("decision of scale-ledger (ScaleBrokers, partition 0 offset " + sent.get(1).offset() + ")"));
        return report;
    }

    private static AuditFixture.Raw raw(byte[] value) {
        return new AuditFixture.Raw(AuditFixture.Raw.key("ledger"), value, null, T0.toEpochMilli());
    }
}
