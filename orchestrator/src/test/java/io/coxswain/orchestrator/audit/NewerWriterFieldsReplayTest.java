package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.FoldMemories;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.CommandRecord;
import io.coxswain.orchestrator.topology.NewerWriterFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Commands written with a newer commands schema, on a real broker with Coxswain's registry on the schemas topic. A replay
 * by this Coxswain decides them as its nodes do (a field it does not know, set: rejected, the id left free); a replay by
 * a Coxswain that knows the field decides such a command, and {@code cox verify} names the rule for the difference
 * instead of calling it an unexplained change of rules.
 */
class NewerWriterFieldsReplayTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    @Test
    void aReplayDecidesANewerRecordAsTheNodesDoAndTheDefaultIsFree() {
        try (AuditFixture.Fresh log = AuditFixture.Fresh.open()) {
            Codecs codecs = log.codecs();
            Command create = Commands.on("payments").issuer("alice").issuedAt(T0).commandId("create-payments").createCluster("4.1.0", 1, 3, "10Gi");
            byte[] set = NewerWriters.encode(log.registry(), codecs.commands(), NewerWriters.commandsSchema(), create, NewerWriters.futureSetting("on"));
            byte[] atDefault = NewerWriters.encode(log.registry(), codecs.commands(), NewerWriters.commandsSchema(), create, NewerWriters.futureSetting(null));

            DroppedFields dropped = codecs.commands().droppedFields(null, set).orElseThrow();
            assertThat(dropped.paths()).containsExactly("payload.futureSetting");
            assertThat(dropped.writer().version()).as("registered after every shipped version").isEqualTo(StoredCommands.CURRENT_VERSION + 1);
            assertThat(codecs.commands().droppedFields(null, atDefault)).isEmpty();
            assertThat(codecs.commands().droppedFields(null, codecs.commands().encode(create))).isEmpty();

            AuditFixture.send(log.producer(), log.topics().commands(), List.of(raw("payments", set), raw("payments", atDefault)));
            List<ReplayEngine.Event> events = new ArrayList<>();
            ReplayResult result = log.replayer().replay(ReplayOptions.all(), events::add);

            assertThat(events).hasSize(2);
            CommandRejected first = (CommandRejected) events.get(0).decision().getOutcome();
            assertThat(first.getReason()).contains("CreateCluster create-payments", "payload.futureSetting",
                    "this node runs Coxswain with commands schema v" + StoredCommands.CURRENT_VERSION);
            assertThat(events.get(0).decision().getAdmitted()).isFalse();
            assertThat(events.get(1).decision().getOutcome()).as("the same id, not a duplicate").isInstanceOf(CommandAccepted.class);
            assertThat(result.states().get("payments").getSpec().getBrokers()).isEqualTo(3);
        }
    }

    /**
     * The log as a node on commands v26 left it, had it this rule: a current CreateCluster carrying an approval policy
     * (added in v27) refused, then the same command sent again after the upgrade and accepted. This replay knows the
     * field and accepts the first record; the states agree, and the one difference names the rule.
     */
    @Test
    void verifyNamesTheRuleWhenThisReplayDecidesWhatAnOlderNodeDidNot() {
        try (AuditFixture.Fresh log = AuditFixture.Fresh.open()) {
            Codecs codecs = log.codecs();
            Command plain = Commands.on("ledger").issuer("alice").issuedAt(T0).commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");
            Command create = Command.newBuilder(plain).setPayload(CreateCluster.newBuilder((CreateCluster) plain.getPayload())
                    .setApprovalPolicy(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72)).build()).build();
            byte[] value = codecs.commands().encode(create);
            List<RecordMetadata> sent = AuditFixture.send(log.producer(), log.topics().commands(), List.of(raw("ledger", value), raw("ledger", value)));
            long refusedAt = sent.get(0).offset();
            long resentAt = sent.get(1).offset();

            DroppedFields policy = new DroppedFields(log.registry().byId(codecs.commands().writerSchemaId()).orElseThrow(), List.of("payload.approvalPolicy"),
                    List.of(), null);
            Decision refused = CommandFold.refused(create, NewerWriterFields.rejection(new CommandRecord(create, Optional.of(policy)), policy, 26), refusedAt);
            CommandFold.Step resent = CommandFold.apply(FoldMemories.holding(null), create, resentAt);
            AuditFixture.send(log.producer(), log.topics().events(), List.of(
                    new AuditFixture.Raw(AuditFixture.Raw.key("ledger"), codecs.decisions().encode(refused), null, T0.toEpochMilli()),
                    new AuditFixture.Raw(AuditFixture.Raw.key("ledger"), codecs.decisions().encode(resent.decision()), null, T0.toEpochMilli())));
            AuditFixture.send(log.producer(), log.topics().state(), List.of(new AuditFixture.Raw(AuditFixture.Raw.key("ledger"),
                    codecs.states().encode(resent.newState().orElseThrow()), null, T0.toEpochMilli())));

            VerifyReport report = Verifier.verify(log.replayer(), "ledger");
            assertThat(report.identical()).isFalse();
            assertThat(report.differences()).singleElement().satisfies(d -> {
                assertThat(d.path()).isEqualTo("decision of create-ledger (CreateCluster, partition 0 offset " + refusedAt + ")");
                assertThat(d.replayed().asText()).isEqualTo("accepted, version 1");
                assertThat(d.live().asText()).isEqualTo("rejected OTHER");
                assertThat(d.explanation()).startsWith("decided otherwise by this replay").contains(
                        "did not know a field the command sets", "README, Upgrading from an older Coxswain",
                        "it sets payload.approvalPolicy", "this node runs Coxswain with commands schema v26")
                        .doesNotContain("the rules changed since");
            });
        }
    }

    private static AuditFixture.Raw raw(String cluster, byte[] value) {
        return new AuditFixture.Raw(AuditFixture.Raw.key(cluster), value, null, T0.toEpochMilli());
    }
}
