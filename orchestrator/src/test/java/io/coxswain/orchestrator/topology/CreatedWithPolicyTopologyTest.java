package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.awaitingApprovals;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ApprovalPolicySpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster born with four eyes: CreateCluster carries the approval policy, so the cluster holds it from version 1 and
 * its very first covered change is a proposal; a malformed policy rejects the creation as a whole, naming the field, and
 * a cluster created again after deletion starts with the policy its new CreateCluster carries.
 */
class CreatedWithPolicyTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final TopologyHarness h = new TopologyHarness();
    private int seconds;

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder as(String issuer) {
        return Commands.on("payments").issuer(issuer).issuedAt(T0.plusSeconds(seconds++));
    }

    /** A CreateCluster of payments carrying {@code policy}; built by hand, as a producer that skips the builder's checks would. */
    private Command createWith(String commandId, SetApprovalPolicy policy) {
        Command plain = as("alice").commandId(commandId).createCluster("4.1.0", 1, 3, "10Gi");
        return Command.newBuilder(plain).setPayload(CreateCluster.newBuilder((CreateCluster) plain.getPayload()).setApprovalPolicy(policy).build())
                .build();
    }

    @Test
    void aClusterCreatedWithAPolicyHoldsItAtVersionOneAndItsFirstCoveredChangeIsAProposal() {
        Command create = createWith("create-payments", new SetApprovalPolicy(List.of(new ApprovalRule(List.of("ScaleBrokers", "DeleteTopic"), 1)), 24));
        assertThat(acceptedVersion(h.send(create))).isEqualTo(1);
        ApprovalPolicySpec policy = h.state("payments").getSpec().getApprovalPolicy();
        assertThat(policy.getRules().get(0).getCommands()).containsExactly("DeleteTopic", "ScaleBrokers"); // kept sorted, as SetApprovalPolicy's
        assertThat(policy.getRules().get(0).getApprovals()).isEqualTo(1);
        assertThat(policy.getExpiresAfterHours()).isEqualTo(24);
        assertThat(policy.getCommandId()).as("the command that set it").isEqualTo("create-payments");
        assertThat(policy.getIssuer()).isEqualTo("alice");
        assertThat(policy.getSetAt()).isEqualTo(create.getIssuedAt());

        Command scale = as("alice").commandId("scale").scaleBrokers(5);
        assertThat(awaitingApprovals(h.send(scale))).as("right after creation, with nothing between").isEqualTo(1);
        ClusterState pending = h.state("payments");
        assertThat(pending.getSpec().getBrokers()).as("not applied").isEqualTo(3);
        assertThat(pending.getSpec().getProposals().get("scale").getExpiresAt()).isEqualTo(scale.getIssuedAt().plus(Duration.ofHours(24)));
        assertThat(awaitingApprovals(h.send(as("alice").commandId("clear").setApprovalPolicy(List.of(), 72))))
                .as("the creator cannot clear it alone either").isEqualTo(1);
        acceptedVersion(h.send(as("bob").approve("scale")));
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(5);
    }

    @Test
    void aMalformedPolicyRejectsTheCreationNamingTheFieldAndCreatesNothing() {
        Command bad = createWith("bad", new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic", "DeleteTopics"), 4),
                new ApprovalRule(List.of("CreateCluster"), 1)), 0));
        CommandRejected invalid = rejected(h.send(bad));
        assertThat(invalid.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(invalid.getReason()).contains("payload.approvalPolicy.rules[0].commands[1]", "unknown command type 'DeleteTopics'",
                "payload.approvalPolicy.rules[0].approvals", "payload.approvalPolicy.expiresAfterHours",
                "payload.approvalPolicy.rules[1].commands[0]", "cannot cover CreateCluster");
        assertThat(h.state("payments")).as("nothing half-applied: no cluster without its policy").isNull();

        Command good = createWith("good", new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 2)), 72));
        assertThat(acceptedVersion(h.send(good))).isEqualTo(1);
        assertThat(h.state("payments").getSpec().getApprovalPolicy().getRules().get(0).getApprovals()).isEqualTo(2);
    }

    @Test
    void aClusterCreatedAgainAfterDeletionStartsWithThePolicyItsNewCreateClusterCarries() {
        acceptedVersion(h.send(createWith("first", new SetApprovalPolicy(List.of(new ApprovalRule(List.of("ScaleBrokers"), 1)), 72))));
        acceptedVersion(h.send(as("alice").deleteCluster(false))); // not covered: applied at once
        acceptedVersion(h.send(as("executor").observation("exec-1", new ClusterRemovedObserved(false))));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Deleted");

        long again = acceptedVersion(h.send(createWith("again", new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 3)), 48))));
        ApprovalPolicySpec policy = h.state("payments").getSpec().getApprovalPolicy();
        assertThat(policy.getCommandId()).isEqualTo("again");
        assertThat(policy.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getCommands()).containsExactly("DeleteTopic");
            assertThat(r.getApprovals()).isEqualTo(3);
        });
        assertThat(h.state("payments").getVersion()).as("versions keep counting across a re-creation").isEqualTo(again).isGreaterThan(1);
        acceptedVersion(h.send(as("alice").scaleBrokers(4)));
        assertThat(h.state("payments").getSpec().getBrokers()).as("the old policy's ScaleBrokers rule is gone").isEqualTo(4);
    }
}
