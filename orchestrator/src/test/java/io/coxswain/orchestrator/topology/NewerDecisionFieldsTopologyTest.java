package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.orchestrator.NewerWriters;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose decisions store holds a command id's first decision a newer node wrote with a newer events schema (a
 * rollback, an older node owning the partition mid-upgrade: the store restored from the changelog), holding what this
 * node's schema lacks: {@code outcome.awaitingSignoffs} set (the command waits for sign-offs, not applied), or an outcome
 * type it does not know. Answering a repeat of the id with the rest would misreport the first outcome, so the node refuses
 * to: the repeat rejected naming what it cannot read and what to do, an executor's observation dropped, nothing stored or
 * folded; a first decision it reads whole (the newer field at its default) is still answered as a duplicate.
 */
class NewerDecisionFieldsTopologyTest {

    private static final Schema EVENTS = NewerWriters.eventsSchema();
    private final TopologyHarness h = new TopologyHarness();
    private final KeyValueStore<String, byte[]> decisions = h.driver.getKeyValueStore(CoxswainTopology.DECISIONS_STORE);
    private final KeyValueStore<String, byte[]> states = h.driver.getKeyValueStore(CoxswainTopology.STATE_STORE);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aRepeatOfAnIdWhoseFirstDecisionHoldsAFieldThisNodeLacksIsRefusedNotMisreported() {
        Command create = h.on("payments").commandId("create-payments").createCluster("4.1.0", 1, 3, "10Gi");
        Decision first = h.send(create);
        byte[] pending = storeAsNewer(first, NewerWriters.awaitingSignoffs(2));
        byte[] state = states.get("payments");
        int newer = h.codecs.decisions().droppedFields(null, pending).orElseThrow().writer().version();
        assertThat(newer).as("registered after every shipped version").isEqualTo(NewerSchemas.EVENTS_VERSION + 1);
        h.states.readKeyValuesToList();

        Decision refused = h.send(create);
        CommandRejected r = rejected(refused);
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("CreateCluster create-payments on cluster 'payments' repeats a command id decided before, and"
                        + " was not answered as a duplicate: its first decision was written with events schema v" + newer + " (schema id ",
                "of " + h.codecs.decisions().subject() + ") and this node reads events schema v" + NewerSchemas.EVENTS_VERSION,
                "it sets outcome.awaitingSignoffs, a field this node does not know and would drop",
                "Answering with what this node reads of it would misreport the first outcome, so nothing was done",
                "finish upgrading this node to a Coxswain that knows events schema v" + newer,
                "do not roll Coxswain back past events schema v" + newer,
                "The command id is taken and its first outcome stands: do not send the command again under this id",
                "read that outcome with a gateway or cox that knows events schema v" + newer);
        assertThat(refused.getAdmitted()).as("not a decision: nothing remembered under the id").isFalse();
        assertThat(refused.getDuplicate()).isFalse();
        assertUntouched("create-payments", pending, state);

        h.pipeRaw("payments", h.codecs.commands().encode(h.on("payments").issuer("executor/exec-1").commandId("create-payments")
                .observation("exec-1", new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), null))), new RecordHeaders());
        assertThat(h.events.readValuesToList()).as("an observation is dropped, no decision").isEmpty();
        assertUntouched("create-payments", pending, state);

        // a first decision this node reads whole: the newer field at its default
        storeAsNewer(first, NewerWriters.awaitingSignoffs(0));
        Decision repeat = h.send(create);
        assertThat(repeat.getDuplicate()).as("answered as a duplicate, as always").isTrue();
        assertThat(repeat.getAdmitted()).isTrue();
        assertThat(acceptedVersion(repeat)).isEqualTo(acceptedVersion(first));
        assertThat(h.states.isEmpty()).isTrue();
    }

    @Test
    void aRepeatOfAnIdWhoseFirstOutcomeIsOfATypeThisNodeLacksIsRefusedNamingIt() {
        Command create = h.on("ledger").commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi");
        Decision first = h.send(create);
        byte[] deferred = storeAsNewer(first, NewerWriters.deferred(EVENTS, "2027-01-04"));
        byte[] state = states.get("ledger");
        h.states.readKeyValuesToList();

        Decision refused = h.send(create);
        assertThat(rejected(refused).getReason()).contains("CreateCluster create-ledger on cluster 'ledger' repeats a command id",
                "its outcome is a CommandDeferred, a type this node does not know", "do not send the command again under this id");
        assertThat(refused.getAdmitted()).isFalse();
        assertUntouched("create-ledger", deferred, state);

        assertThat(acceptedVersion(h.send(h.on("ledger").commandId("scale-ledger").scaleBrokers(5))))
                .as("a command id not decided yet is folded as always").isEqualTo(2);
    }

    /** {@code first}, as a newer node wrote it ({@link #EVENTS}, {@code set} putting in what only it has), in the decisions store. */
    private byte[] storeAsNewer(Decision first, Consumer<GenericRecord> set) {
        byte[] value = NewerWriters.encode(h.registry, h.codecs.decisions(), EVENTS, first, set);
        decisions.put(TaskStores.decisionKey(first.getClusterId(), first.getCommandId()), value);
        return value;
    }

    /** The first decision's bytes and the cluster's state as they were; nothing written to the state or dead-letter topics. */
    private void assertUntouched(String commandId, byte[] firstDecision, byte[] state) {
        String cluster = commandId.substring("create-".length());
        assertThat(decisions.get(TaskStores.decisionKey(cluster, commandId))).isEqualTo(firstDecision);
        assertThat(states.get(cluster)).isEqualTo(state);
        assertThat(h.states.isEmpty()).as("nothing written to the state topic").isTrue();
        assertThat(h.deadLetters.isEmpty()).as("the record is fine: not dead-lettered").isTrue();
    }
}
