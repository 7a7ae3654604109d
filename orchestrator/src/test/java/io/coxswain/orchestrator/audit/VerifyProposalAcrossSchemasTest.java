package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.OlderWriters;
import io.coxswain.orchestrator.topology.Codecs;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A proposal pending across a release of the commands schema: the live state holds its command as the older
 * Coxswain wrote it, a replay by the newer one writes it with its own schema. verify compares the commands, so
 * the same command is no difference, and another command still is.
 */
class VerifyProposalAcrossSchemasTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    /** A released version with other fields than the current (no unchangedSinceVersion): the bytes differ, not only the number. */
    private static final int OLDER = 17;

    @Test
    void aProposalStoredWithAnOlderCommandsSchemaVerifiesAsTheSameCommand() {
        try (AuditFixture.Fresh fresh = AuditFixture.Fresh.open()) {
            Codecs codecs = fresh.codecs();
            Replayer replayer = fresh.replayer();
            List<AuditFixture.Raw> log = new ArrayList<>();
            for (String cluster : List.of("same", "forged")) {
                add(log, codecs, on(cluster, 1).createCluster("4.1.0", 1, 3, "10Gi"));
                add(log, codecs, on(cluster, 2).createTopic("orders", 3, 1, Map.of()));
                add(log, codecs, on(cluster, 3).setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72));
                add(log, codecs, on(cluster, 4).commandId(cluster + "-del").deleteTopic("orders"));
            }
            AuditFixture.send(fresh.producer(), fresh.topics().commands(), log);
            Map<String, ClusterState> replayed = replayer.replay(ReplayOptions.all()).states();
            ClusterState same = storedBy(replayed.get("same"), "same-del", null);
            ClusterState forged = storedBy(replayed.get("forged"), "forged-del", "audit");
            assertThat(same.getSpec().getProposals().get("same-del").getCommand())
                    .as("the older schema wrote other bytes").isNotEqualTo(replayed.get("same").getSpec().getProposals().get("same-del").getCommand());
            AuditFixture.send(fresh.producer(), fresh.topics().state(), List.of(
                    new AuditFixture.Raw(AuditFixture.Raw.key("same"), codecs.states().encode(same), null, System.currentTimeMillis()),
                    new AuditFixture.Raw(AuditFixture.Raw.key("forged"), codecs.states().encode(forged), null, System.currentTimeMillis())));

            VerifyReport sameReport = Verifier.verify(replayer, "same");
            assertThat(sameReport.differences()).isEmpty();
            assertThat(sameReport.identical()).isTrue();
            assertThat(sameReport.notes()).anyMatch(n -> n.contains("cluster same") && n.contains("older commands schema"));

            VerifyReport forgedReport = Verifier.verify(replayer, "forged");
            assertThat(forgedReport.identical()).isFalse();
            assertThat(forgedReport.differences()).singleElement().satisfies(d -> assertThat(d.path()).isEqualTo("spec.proposals[\"forged-del\"].command"));
        }
    }

    /** {@code state} as a Coxswain shipping commands schema v{@link #OLDER} would hold it; {@code topic}: its proposal deletes another. */
    private static ClusterState storedBy(ClusterState state, String id, String topic) {
        ClusterState live = ClusterState.newBuilder(state).build();
        Map<String, Proposal> proposals = new TreeMap<>(live.getSpec().getProposals());
        Proposal p = proposals.get(id);
        Command command = StoredCommands.decode(p.getCommand(), p.getCommandSchemaVersion());
        if (topic != null) {
            command = Commands.on(command.getClusterId()).issuer(command.getIssuer()).issuedAt(command.getIssuedAt())
                    .commandId(command.getCommandId()).deleteTopic(topic);
        }
        proposals.put(id, Proposal.newBuilder(p).setCommand(ByteBuffer.wrap(OlderWriters.body("commands", OLDER, Command.getClassSchema(), StoredCommands.encode(command)))).setCommandSchemaVersion(OLDER).build());
        live.getSpec().setProposals(proposals);
        return live;
    }

    private static CommandBuilder on(String cluster, int second) {
        return Commands.on(cluster).issuer("alice").issuedAt(T0.plusSeconds(second));
    }

    private static void add(List<AuditFixture.Raw> log, Codecs codecs, Command c) {
        log.add(new AuditFixture.Raw(AuditFixture.Raw.key(c.getClusterId()), codecs.commands().encode(c), null, c.getIssuedAt().toEpochMilli()));
    }
}
