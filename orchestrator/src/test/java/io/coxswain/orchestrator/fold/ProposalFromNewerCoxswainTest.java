package io.coxswain.orchestrator.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.FoldMemories;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade or a rollback leaves an older node folding a proposal a newer one recorded, with a commands
 * schema version it does not ship. Deciding it needs that schema: the last approval is refused with a reason and
 * the proposal stays pending (the stream task must not fail on the record); a veto or a withdrawal, which never
 * decode it, still end it.
 */
class ProposalFromNewerCoxswainTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private ClusterState state;
    private int seconds;

    private final CommandFold.Memory memory = FoldMemories.of(() -> state);

    private CommandBuilder as(String issuer) {
        return Commands.on("payments").issuer(issuer).issuedAt(T0.plusSeconds(seconds++));
    }

    private CommandFold.Step fold(Command c) {
        CommandFold.Step step = CommandFold.apply(memory, c, 0);
        step.newState().ifPresent(s -> state = s);
        return step;
    }

    /** The cluster with a DeleteTopic pending, as if a Coxswain shipping one commands schema more had recorded it. */
    private void proposedByANewerCoxswain() {
        fold(as("alice").createCluster("4.1.0", 1, 3, "10Gi"));
        fold(as("alice").createTopic("orders", 3, 1, Map.of()));
        fold(as("alice").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72));
        assertThat(fold(as("alice").commandId("del").deleteTopic("orders")).accepted()).isTrue();
        Map<String, Proposal> proposals = new TreeMap<>(state.getSpec().getProposals());
        proposals.put("del", Proposal.newBuilder(proposals.get("del")).setCommandSchemaVersion(StoredCommands.CURRENT_VERSION + 1).build());
        state.getSpec().setProposals(proposals);
    }

    @Test
    void theLastApprovalIsRefusedWithAReasonAndTheProposalStaysPending() {
        proposedByANewerCoxswain();
        CommandFold.Step approval = fold(as("bob").approve("del"));
        assertThat(approval.accepted()).isFalse();
        CommandRejected r = (CommandRejected) approval.decision().getOutcome();
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("DeleteTopic del", "commands schema v" + (StoredCommands.CURRENT_VERSION + 1), "newer Coxswain",
                "stays pending");
        assertThat(state.getSpec().getProposals()).containsKey("del");
        assertThat(state.getTopics()).containsKey("orders");
    }

    @Test
    void aVetoOrAWithdrawalStillEndsIt() {
        proposedByANewerCoxswain();
        assertThat(fold(as("bob").rejectProposal("del", "not now")).accepted()).isTrue();
        assertThat(state.getSpec().getProposals()).isEmpty();
        assertThat(state.getStatus().getProposalOutcomes()).extracting(o -> o.getCommandId() + ":" + o.getState()).containsExactly("del:REJECTED");
    }
}
