package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.avro.wire.WireFormat;
import io.coxswain.orchestrator.NewerWriters;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node folding a command of a type, or with an enum symbol, that only a newer commands schema has (a rolling upgrade):
 * Avro would fail on it (a dead letter, and the sender waiting for a decision that never comes) or read it as something
 * else; instead the command is rejected naming the type or the field, so the sender has its decision, nothing changes,
 * and its id stays free. A record that does not match even its writer schema is still dead-lettered.
 */
class NewerWriterTypesTopologyTest {

    private static final int NEWER = StoredCommands.CURRENT_VERSION + 1;
    private final TopologyHarness h = new TopologyHarness();
    private final Schema newer = NewerWriters.commandsSchema();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aCommandTypeThisNodeDoesNotKnowIsRejectedNamingItAndChangesNothing() {
        Command create = h.on("payments").commandId("create-payments").createCluster("4.1.0", 1, 3, "10Gi");
        assertThat(acceptedVersion(h.send(create))).isEqualTo(1);
        h.states.readValuesToList();
        Command carrier = h.on("payments").commandId("drain-1").issuer("bob").createCluster("4.1.0", 1, 3, "10Gi");

        Decision refused = h.sendAsNewer(newer, carrier, NewerWriters.drainBroker(newer, 2));
        CommandRejected r = rejected(refused);
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("DrainBroker drain-1 on cluster 'payments' was not decided: it is a DrainBroker, a command type"
                        + " this node does not know", "this node runs Coxswain with commands schema v" + StoredCommands.CURRENT_VERSION,
                "the command was written with v" + NEWER, "send it again once every node runs a Coxswain that knows commands schema v" + NEWER)
                .doesNotContain("or without");
        assertThat(refused.getCommandId()).as("the decision the sender waits for").isEqualTo("drain-1");
        assertThat(refused.getCommandType()).isEqualTo("DrainBroker");
        assertThat(refused.getIssuer()).isEqualTo("bob");
        assertThat(refused.getAdmitted()).as("not decided: its id is not taken").isFalse();
        assertThat(h.states.readValuesToList()).as("nothing changed").isEmpty();
        assertThat(h.state("payments").getVersion()).isEqualTo(1);
        assertThat(h.deadLetters.isEmpty()).isTrue();

        assertThat(acceptedVersion(h.send(h.on("payments").commandId("drain-1").scaleBrokers(4))))
                .as("its id stays free").isEqualTo(2);
    }

    @Test
    void anEnumSymbolThisNodeDoesNotKnowIsRejectedNamingTheFieldNotReadAsTheDefault() {
        Command create = h.on("ledger").commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");

        CommandRejected r = rejected(h.sendAsNewer(newer, create, NewerWriters.externalAccess("INGRESS")));
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("CreateCluster create-ledger on cluster 'ledger' was not decided: it sets payload.externalAccess"
                + " to INGRESS, a value this node does not know", "knows commands schema v" + NEWER);
        assertThat(h.state("ledger")).as("not created with externalAccess NONE, the enum's default").isNull();

        assertThat(acceptedVersion(h.sendAsNewer(newer, create, NewerWriters.externalAccess("LOAD_BALANCER"))))
                .as("a symbol this node knows, written by the newer schema: decided, under the same id").isEqualTo(1);
        assertThat(h.state("ledger").getSpec().getExternalAccess()).isEqualTo("LOAD_BALANCER");
    }

    @Test
    void aRecordThatDoesNotMatchEvenItsNewerWriterSchemaIsStillDeadLettered() {
        int id = h.registry.register(h.codecs.commands().subject(), newer).id();
        h.pipeRaw("payments", WireFormat.frame(id, new byte[] {(byte) 0x07}), new RecordHeaders());
        assertThat(h.deadLetters.readRecordsToList()).hasSize(1);
        assertThat(h.events.isEmpty()).isTrue();
    }
}
