package io.coxswain.avro.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The released schema versions since v21 (commands; with the state and events versions each brought), each read by the current
 * reader and, where a rolling upgrade needs it, by the version before: the rest of the history is {@link SchemaHistoryTest}'s.
 */
class RecentSchemaVersionsTest {

    private final Topics topics = Topics.defaults();
    private final ReleasedSamples samples = new ReleasedSamples(topics);

    @Test
    void v21ManagesConnectorsAndV17StatesReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<Object> payloads = samples.payloadsOf(registry, 21);
        assertThat(payloads).filteredOn(io.coxswain.avro.command.SetConnector.class::isInstance).isNotEmpty();
        assertThat(payloads).filteredOn(io.coxswain.avro.command.RestartConnector.class::isInstance).isNotEmpty();
        assertThat(payloads).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.ConnectorsObserved).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(19).toString()).doesNotContain("SetConnector");
        ClusterState v17 = samples.sampleOf(registry, "state", 17, ClusterState.class);
        assertThat(v17.getConnectors()).as("clusters folded before state v18 run no connectors").isEmpty();
        assertThat(v17.getStatus().getConnectors()).isEmpty();
        assertThat(v17.getStatus().getConnectUnreachable()).isNull();
        assertThat(ShippedSchemas.history().get("events").get(4).toString()).doesNotContain("CONNECTOR_NOT_FOUND");
    }

    @Test
    void v23CancelsAPendingConsumerGroupOffsetReset() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 23)).filteredOn(io.coxswain.avro.command.CancelConsumerGroupOffsetReset.class::isInstance).isNotEmpty();
        assertThat(samples.payloadsOf(registry, 22)).filteredOn(io.coxswain.avro.command.ResetConsumerGroupOffsets.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(21).toString()).doesNotContain("CancelConsumerGroupOffsetReset");
    }

    @Test
    void v24ReportsTopicsKafkaRefusedAndV19StatesReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 24)).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.TopicsRefusedObserved).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(22).toString()).doesNotContain("TopicsRefusedObserved");
        assertThat(samples.sampleOf(registry, "state", 19, ClusterState.class).getStatus().getTopicRefusals())
                .as("clusters folded before state v20 show no refused topic until the executor reports one").isEmpty();
    }

    @Test
    void v25CarriesTheApprovalCommandsAndOlderStatesAndDecisionsReadWithNoPolicyAndNothingAwaiting() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<String> payloads = samples.payloadsOf(registry, 25).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("SetApprovalPolicy", "ApproveCommand", "RejectProposal", "WithdrawProposal");
        assertThat(ShippedSchemas.history().get("commands").get(23).toString()).doesNotContain("ApproveCommand");
        ClusterState state = samples.sampleOf(registry, "state", 20, ClusterState.class);
        assertThat(state.getSpec().getApprovalPolicy()).as("clusters folded before state v21 have no approval policy").isNull();
        assertThat(state.getSpec().getProposals()).isEmpty();
        assertThat(state.getStatus().getProposalOutcomes()).isEmpty();
        String events = Topics.valueSubject(topics.prefix() + "events");
        Schema v7 = ShippedSchemas.history().get("events").get(6);
        List<io.coxswain.avro.event.CommandAccepted> accepted = SampleRecords.everyBranch(v7).stream()
                .map(sample -> ReleasedSamples.decode(registry, events, new AvroWireCodec<>(registry, events, Decision.class), v7, sample).getOutcome())
                .filter(o -> o instanceof io.coxswain.avro.event.CommandAccepted).map(o -> (io.coxswain.avro.event.CommandAccepted) o).toList();
        assertThat(accepted).isNotEmpty().allSatisfy(a -> assertThat(a.getAwaitingApprovals())
                .as("decisions before events v8 applied what they accepted").isZero());
    }

    @Test
    void v26CarriesTheMirrorCommandsAndOlderStatesAndObservationsReadWithNoMirror() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<Object> payloads = samples.payloadsOf(registry, 26);
        assertThat(payloads.stream().map(p -> p.getClass().getSimpleName()).toList()).contains("SetMirror", "DeleteMirror");
        assertThat(ShippedSchemas.history().get("commands").get(24).toString()).doesNotContain("SetMirror");
        assertThat(samples.payloadsOf(registry, 25)).filteredOn(p -> p instanceof RecordObservation o
                        && o.getObservation() instanceof io.coxswain.avro.command.ConnectorsObserved).isNotEmpty()
                .allSatisfy(p -> assertThat(((io.coxswain.avro.command.ConnectorsObserved) ((RecordObservation) p).getObservation())
                        .getMirrorsNotRunnable()).as("reports before commands v26 name no mirror").isEmpty());
        ClusterState state = samples.sampleOf(registry, "state", 21, ClusterState.class);
        assertThat(state.getSpec().getMirrors()).as("clusters folded before state v22 have no mirror").isEmpty();
        assertThat(state.getStatus().getMirrorsNotRunnable()).isEmpty();
        assertThat(ShippedSchemas.history().get("events").get(8).toString()).contains("MIRROR_NOT_FOUND");
        assertThat(ShippedSchemas.history().get("events").get(7).toString()).doesNotContain("MIRROR_NOT_FOUND");
    }

    @Test
    void v27CreatesAClusterWithItsPolicyInTheShapeOfSetApprovalPolicyAndOlderCreationsReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 27)).filteredOn(CreateCluster.class::isInstance).isNotEmpty()
                .allSatisfy(p -> assertThat(((CreateCluster) p).getApprovalPolicy().getRules()).as("one shape: SetApprovalPolicy's").isNotEmpty());
        assertThat(samples.payloadsOf(registry, 26)).filteredOn(CreateCluster.class::isInstance).isNotEmpty()
                .allSatisfy(p -> assertThat(((CreateCluster) p).getApprovalPolicy()).as("clusters created before v27 start with none").isNull());
        assertThat(CreateCluster.getClassSchema().getField("approvalPolicy").schema().getTypes().get(1))
                .isEqualTo(io.coxswain.avro.command.SetApprovalPolicy.getClassSchema());

        // a node still on v26 during a rolling upgrade reads every v27 record, the policy left out
        Schema v26 = ShippedSchemas.history().get("commands").get(25);
        Schema v27 = ShippedSchemas.history().get("commands").get(26);
        for (GenericRecord sample : SampleRecords.everyBranch(v27)) {
            GenericRecord old = new GenericDatumReader<GenericRecord>(v27, v26)
                    .read(null, DecoderFactory.get().binaryDecoder(ReleasedSamples.binary(v27, sample), null));
            assertThat(((GenericRecord) old.get("payload")).getSchema().getName())
                    .isEqualTo(((GenericRecord) sample.get("payload")).getSchema().getName());
        }
    }

    @Test
    void v28ReportsWhatTheExecutorRefusesAndV22StatesReadWithNothingBlocked() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 28)).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.ExecutorRefusalsObserved).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(26).toString()).doesNotContain("ExecutorRefusalsObserved");
        assertThat(samples.sampleOf(registry, "state", 22, ClusterState.class).getStatus().getExecutorRefusals())
                .as("clusters folded before state v23 show nothing blocked until the executor reports it").isEmpty();
        // a node still on state v22 during a rolling upgrade reads a v23 state, nothing blocked in it
        Schema v22 = ShippedSchemas.history().get("state").get(21);
        Schema v23 = ShippedSchemas.history().get("state").get(22);
        GenericRecord sample = SampleRecords.of(v23);
        GenericRecord old = new GenericDatumReader<GenericRecord>(v23, v22).read(null, DecoderFactory.get().binaryDecoder(ReleasedSamples.binary(v23, sample), null));
        assertThat(((GenericRecord) old.get("status")).getSchema().getField("executorRefusals")).isNull();
        assertThat(old.get("clusterId").toString()).isEqualTo(sample.get("clusterId").toString());
    }

    @Test
    void v29RestartsAMirrorAndV23StatesReadWithNoMirrorRestartAsked() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 29)).filteredOn(io.coxswain.avro.command.RestartMirror.class::isInstance).isNotEmpty()
                .allSatisfy(p -> assertThat(((io.coxswain.avro.command.RestartMirror) p).getName()).isNotEmpty());
        assertThat(ShippedSchemas.history().get("commands").get(27).toString()).doesNotContain("RestartMirror");
        ClusterState v23 = samples.sampleOf(registry, "state", 23, ClusterState.class);
        assertThat(v23.getSpec().getMirrors()).as("the sample holds a mirror").isNotEmpty()
                .allSatisfy((name, m) -> assertThat(m.getRestart()).as("mirrors folded before state v24 were never restarted by request").isNull());
        assertThat(v23.getConnectors()).as("a connector's restart reads as before, its record now defined at the mirror's").isNotEmpty()
                .allSatisfy((name, c) -> assertThat(c.getRestart()).isNotNull());
        // a node still on state v23 during a rolling upgrade reads a v24 state: the mirror's restart left out, the connectors' kept
        Schema v23Schema = ShippedSchemas.history().get("state").get(22);
        Schema v24Schema = ShippedSchemas.history().get("state").get(23);
        GenericRecord sample = SampleRecords.of(v24Schema);
        GenericRecord old = new GenericDatumReader<GenericRecord>(v24Schema, v23Schema)
                .read(null, DecoderFactory.get().binaryDecoder(ReleasedSamples.binary(v24Schema, sample), null));
        GenericRecord mirror = (GenericRecord) ((java.util.Map<?, ?>) ((GenericRecord) old.get("spec")).get("mirrors")).values().iterator().next();
        assertThat(mirror.getSchema().getField("restart")).isNull();
        GenericRecord connector = (GenericRecord) ((java.util.Map<?, ?>) old.get("connectors")).values().iterator().next();
        assertThat(connector.get("restart")).isNotNull();
    }

    @Test
    void aStoredCommandWrittenWithAnOlderReleasedSchemaDecodesWithTheCurrentClass() throws Exception {
        Schema v24 = ShippedSchemas.history().get("commands").get(23);
        for (GenericRecord sample : SampleRecords.everyBranch(v24)) {
            Command read = io.coxswain.avro.wire.StoredCommands.decode(ReleasedSamples.binary(v24, sample), 24);
            assertThat(SampleRecords.recordNames(read)).isEqualTo(SampleRecords.recordNames(sample));
            Command again = io.coxswain.avro.wire.StoredCommands.decode(io.coxswain.avro.wire.StoredCommands.encode(read),
                    io.coxswain.avro.wire.StoredCommands.CURRENT_VERSION);
            assertThat(again).isEqualTo(read);
        }
    }
}
