package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.FoldMemories;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.CommandFold;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose state store holds a cluster's state a newer fold wrote with a newer state schema (a rolling upgrade, a
 * rollback: the store restored from the changelog), setting {@code spec.changeFreeze}, which this node's schema lacks.
 * Folding a command onto what it reads of it and writing the state back would lose the field for good, so the node folds
 * nothing onto it: a command is rejected naming the field, an executor's observation dropped, the stored bytes left as
 * they are; other clusters are folded as always, and so is the cluster once a state this node reads whole is stored.
 */
class NewerStateFieldsTopologyTest {

    private static final int NEWER = NewerSchemas.STATE_VERSION + 1;
    private final TopologyHarness h = new TopologyHarness();
    private final KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(CoxswainTopology.STATE_STORE);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void nothingIsFoldedOntoAStateHoldingAFieldThisNodeLacksTillOneItReadsWholeIsStored() {
        ClusterState payments = createdElsewhere(h.on("payments").commandId("create-payments").createCluster("4.1.0", 1, 3, "10Gi"));
        byte[] frozen = NewerWriters.encode(h.registry, h.codecs.states(), NewerWriters.stateSchema(), payments,
                NewerWriters.changeFreeze("until 2027-01-04"));
        store.put("payments", frozen);

        Command scale = h.on("payments").commandId("scale-payments").scaleBrokers(5);
        Decision refused = h.send(scale);
        CommandRejected r = rejected(refused);
        assertThat(r.getCode()).isEqualTo(RejectionCode.OTHER);
        assertThat(r.getReason()).contains("ScaleBrokers scale-payments on cluster 'payments' was not decided: the cluster's state was"
                        + " written with state schema v" + NEWER, "this node reads state schema v" + NewerSchemas.STATE_VERSION,
                "it sets spec.changeFreeze, a field this node does not know and would drop", "the command id stays free",
                "finish upgrading this node to a Coxswain that knows state schema v" + NEWER,
                "do not roll Coxswain back past state schema v" + NEWER + " while clusters use these fields");
        assertThat(refused.getAdmitted()).as("not decided: its id is not taken").isFalse();
        assertUntouched(frozen);

        h.pipeRaw("payments", h.codecs.commands().encode(h.on("payments").issuer("executor/exec-1").commandId("obs-1")
                .observation("exec-1", new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), null))), new RecordHeaders());
        assertThat(h.events.readValuesToList()).as("an observation is dropped, no decision").isEmpty();
        assertUntouched(frozen);

        assertThat(acceptedVersion(h.send(h.on("ledger").commandId("create-ledger").createCluster("4.1.0", 1, 3, "10Gi"))))
                .as("another cluster of the same task").isEqualTo(1);
        assertThat(h.states.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("ledger"));

        // the field back at its default (a newer fold unfroze it): a state this node reads whole
        store.put("payments", NewerWriters.encode(h.registry, h.codecs.states(), NewerWriters.stateSchema(), payments,
                NewerWriters.changeFreeze(null)));
        assertThat(acceptedVersion(h.send(scale))).as("the same command, under the same id").isEqualTo(payments.getVersion() + 1);
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(5);
        assertThat(h.states.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("payments"));
    }

    /** The stored bytes are the newer fold's, the field still set; nothing went to the state or dead-letter topics. */
    private void assertUntouched(byte[] frozen) {
        assertThat(store.get("payments")).isEqualTo(frozen);
        assertThat(h.codecs.states().droppedFields(null, store.get("payments")).orElseThrow().paths()).containsExactly("spec.changeFreeze");
        assertThat(h.states.isEmpty()).as("nothing written to the state topic").isTrue();
        assertThat(h.deadLetters.isEmpty()).as("the record is fine: not dead-lettered").isTrue();
    }

    /** The state a fold of {@code create} alone gives, as the newer node that folded it reached it. */
    private static ClusterState createdElsewhere(Command create) {
        return CommandFold.apply(FoldMemories.holding(null), create, 0).newState().orElseThrow();
    }
}
