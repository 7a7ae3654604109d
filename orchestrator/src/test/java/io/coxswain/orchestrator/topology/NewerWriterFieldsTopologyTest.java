package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.orchestrator.NewerWriters;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node folding a command written with a newer commands schema than its own (a rolling upgrade): a field it does not
 * know, set, would be dropped by decoding, so the command is rejected naming the field and nothing is created; the same
 * record with the field at its default is decided as any other, and the rejected command's id stays free for it.
 */
class NewerWriterFieldsTopologyTest {

    private static final int NEWER = StoredCommands.CURRENT_VERSION + 1;
    private final TopologyHarness h = new TopologyHarness();
    private final Schema newer = NewerWriters.commandsSchema();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aFieldThisNodeDoesNotKnowSetIsRejectedNamingItAndNothingIsCreatedTillItIsSentAtItsDefault() {
        Command create = h.on("payments").commandId("create-payments").createCluster("4.1.0", 1, 3, "10Gi");

        Decision refused = h.sendAsNewer(newer, create, NewerWriters.futureSetting("on"));
        CommandRejected r = rejected(refused);
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("CreateCluster create-payments on cluster 'payments' was not decided: it sets payload.futureSetting",
                "this node runs Coxswain with commands schema v" + StoredCommands.CURRENT_VERSION, "the command was written with v" + NEWER,
                "send it again once every node runs a Coxswain that knows commands schema v" + NEWER);
        assertThat(refused.getAdmitted()).as("not decided: its id is not taken").isFalse();
        assertThat(h.state("payments")).as("nothing created").isNull();
        assertThat(h.states.readValuesToList()).isEmpty();

        assertThat(acceptedVersion(h.sendAsNewer(newer, create, NewerWriters.futureSetting(null))))
                .as("the same command, its newer field at the default: decided, under the same id").isEqualTo(1);
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(3);
    }

    @Test
    void aFieldInsideTheRulesOfTheApprovalPolicyCountsUnlessItHoldsItsDeclaredDefault() {
        Command plain = h.on("ledger").commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");
        Command create = Command.newBuilder(plain).setPayload(CreateCluster.newBuilder((CreateCluster) plain.getPayload())
                .setApprovalPolicy(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72)).build()).build();

        CommandRejected r = rejected(h.sendAsNewer(newer, create, quorum(2)));
        assertThat(r.getReason()).contains("it sets payload.approvalPolicy.rules[0].quorum, a field this node does not know");
        assertThat(h.state("ledger")).isNull();

        assertThat(acceptedVersion(h.sendAsNewer(newer, create, quorum(0)))).as("0 is the field's declared default").isEqualTo(1);
        assertThat(h.state("ledger").getSpec().getApprovalPolicy().getRules().get(0).getCommands()).containsExactly("DeleteTopic");
    }

    private static Consumer<GenericRecord> quorum(int value) {
        return command -> {
            GenericRecord policy = (GenericRecord) ((GenericRecord) command.get("payload")).get("approvalPolicy");
            ((GenericRecord) ((List<?>) policy.get("rules")).get(0)).put("quorum", value);
        };
    }
}
