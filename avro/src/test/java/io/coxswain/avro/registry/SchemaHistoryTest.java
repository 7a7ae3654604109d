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
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The command log is kept forever, so every schema version ever released must stay readable by the
 * current reader. For each shipped version this writes a record with that writer schema (a generic
 * record filled from the schema's own defaults and sample values) and reads it back with the codec.
 */
class SchemaHistoryTest {

    private final Topics topics = Topics.defaults();
    private final ReleasedSamples samples = new ReleasedSamples(topics);

    @Test
    void theLastShippedVersionIsTheCurrentSchema() {
        Map<String, List<Schema>> history = ShippedSchemas.history();
        assertThat(last(history.get("commands"))).satisfies(s -> assertThat(SchemaIdentity.sameSchema(s, Command.getClassSchema()))
                .as("commands schema changed without a new file under avro/src/main/resources/io/coxswain/avro/history/commands/").isTrue());
        assertThat(SchemaIdentity.sameSchema(last(history.get("events")), Decision.getClassSchema())).isTrue();
        assertThat(SchemaIdentity.sameSchema(last(history.get("state")), ClusterState.getClassSchema())).isTrue();
    }

    @Test
    void everyReleasedVersionIsReadableByTheCurrentReader() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        Map<String, List<Schema>> history = ShippedSchemas.history();
        check(registry, "commands", history.get("commands"), Command.class);
        check(registry, "events", history.get("events"), Decision.class);
        check(registry, "state", history.get("state"), ClusterState.class);
    }

    /** Every union branch of every released version (each command type, observation, outcome) decodes to the same branches. */
    private <T extends SpecificRecord> void check(SchemaRegistry registry, String suffix, List<Schema> versions, Class<T> type) throws Exception {
        assertThat(versions).isNotEmpty();
        String subject = Topics.valueSubject(topics.prefix() + suffix);
        AvroWireCodec<T> codec = new AvroWireCodec<>(registry, subject, type);
        for (int v = 0; v < versions.size(); v++) {
            Schema writer = versions.get(v);
            List<GenericRecord> samples = SampleRecords.everyBranch(writer);
            assertThat(samples).as("%s v%d samples", suffix, v + 1).hasSizeGreaterThan(1);
            for (GenericRecord sample : samples) {
                T read = ReleasedSamples.decode(registry, subject, codec, writer, sample);
                assertThat(read).as("%s v%d", suffix, v + 1).isNotNull();
                assertThat(read.get(0)).as("%s v%d first field", suffix, v + 1).isEqualTo(sample.get(0).toString());
                assertThat(SampleRecords.recordNames(read)).as("%s v%d branches", suffix, v + 1).isEqualTo(SampleRecords.recordNames(sample));
            }
        }
    }

    @Test
    void v1RecordsReadWithTheDefaultsOfV2AndV2CarriesTheDay2Commands() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        ClusterState state = samples.sampleOf(registry, "state", 1, ClusterState.class);
        assertThat(state.getStatus().getUnmanagedTopics()).isEmpty();
        assertThat(state.getSpec().getRestarts()).isEmpty();
        assertThat(state.getStatus().getOperation().getAttempt()).isEqualTo(1);
        assertThat(state.getStatus().getOperation().getControlledBy()).isNull();

        List<String> payloads = samples.payloadsOf(registry, 2).stream()
                .map(p -> p instanceof RecordObservation o ? o.getObservation().getClass().getSimpleName() : p.getClass().getSimpleName())
                .toList();
        assertThat(payloads).contains("RetryOperation", "AbandonOperation", "RestartCluster", "TopicsObserved");
        assertThat(ShippedSchemas.history().get("commands").get(0).toString()).doesNotContain("RetryOperation", "TopicsObserved");
    }

    @Test
    void v2StatesAndDecisionsReadWithTheDefaultsOfV3AndV3CarriesTheComponentCommands() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.sampleOf(registry, "state", 2, ClusterState.class).getSpec().getComponents()).isEmpty();

        Decision decision = samples.sampleOf(registry, "events", 2, Decision.class);
        assertThat(decision.getAdmitted()).as("decisions before v3 were all of admitted records").isTrue();
        assertThat(decision.getCommandOffset()).isNull();

        List<String> payloads = samples.payloadsOf(registry, 3).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("SetComponent", "RemoveComponent");
        assertThat(ShippedSchemas.history().get("commands").get(1).toString()).doesNotContain("SetComponent");
    }

    @Test
    void v3RecordsReadWithTheDefaultsOfV4AndV4CarriesTheUserCommands() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        ClusterState state = samples.sampleOf(registry, "state", 3, ClusterState.class);
        assertThat(state.getUsers()).isEmpty();
        assertThat(state.getSpec().getClientAuthentication()).as("clusters created before v4 authenticate no clients").isEqualTo("NONE");
        Command create = SampleRecords.everyBranch(ShippedSchemas.history().get("commands").get(2)).stream().findFirst()
                .map(sample -> ReleasedSamples.decode(registry, Topics.valueSubject(topics.prefix() + "commands"),
                        new AvroWireCodec<>(registry, Topics.valueSubject(topics.prefix() + "commands"), Command.class),
                        ShippedSchemas.history().get("commands").get(2), sample))
                .orElseThrow();
        assertThat(create.getPayload()).isInstanceOfSatisfying(io.coxswain.avro.command.CreateCluster.class,
                c -> assertThat(c.getClientAuthentication()).isEqualTo(io.coxswain.avro.command.ClientAuthentication.NONE));

        List<String> payloads = samples.payloadsOf(registry, 4).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("CreateUser", "UpdateUserAcls", "DeleteUser");
        assertThat(ShippedSchemas.history().get("commands").get(2).toString()).doesNotContain("CreateUser");
    }

    @Test
    void v4RecordsReadWithTheDefaultsOfV5AndV5CarriesUpdateResources() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        ClusterState state = samples.sampleOf(registry, "state", 4, ClusterState.class);
        assertThat(state.getSpec().getResources()).as("clusters created before v5 run on the installation's defaults").isNull();
        List<Object> v4 = samples.payloadsOf(registry, 4);
        assertThat(v4).filteredOn(io.coxswain.avro.command.CreateCluster.class::isInstance).isNotEmpty()
                .allSatisfy(c -> assertThat(((io.coxswain.avro.command.CreateCluster) c).getResources()).isNull());

        List<String> payloads = samples.payloadsOf(registry, 5).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("UpdateResources");
        assertThat(ShippedSchemas.history().get("commands").get(3).toString()).doesNotContain("UpdateResources", "RoleResources");
    }

    @Test
    void v5StatesReadWithNoRetiredUsers() {
        InMemorySchemaRegistry registry = samples.registry();
        ClusterState state = samples.sampleOf(registry, "state", 5, ClusterState.class);
        assertThat(state.getRetiredUsers()).as("users deleted before v6 were not remembered").isEmpty();
        assertThat(ShippedSchemas.history().get("state").get(4).toString()).doesNotContain("retiredUsers");
    }

    @Test
    void v6StatesAndV5CommandsReadWithNoQuotasAndV6CarriesUpdateUserQuotas() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        ClusterState state = samples.sampleOf(registry, "state", 6, ClusterState.class);
        assertThat(state.getUsers().values()).as("users created before v7 run unthrottled").isNotEmpty()
                .allSatisfy(u -> assertThat(u.getQuotas()).isNull());
        assertThat(samples.payloadsOf(registry, 5)).filteredOn(io.coxswain.avro.command.CreateUser.class::isInstance).isNotEmpty()
                .allSatisfy(c -> assertThat(((io.coxswain.avro.command.CreateUser) c).getQuotas()).isNull());
        List<String> payloads = samples.payloadsOf(registry, 6).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("UpdateUserQuotas");
        assertThat(ShippedSchemas.history().get("commands").get(4).toString()).doesNotContain("UpdateUserQuotas", "UserQuotas");
    }

    @Test
    void v7CarriesPartitionAndStorageGrowthAndV4DecisionsReadUnderV5() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<String> payloads = samples.payloadsOf(registry, 7).stream().map(p -> p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("IncreasePartitions", "ExpandStorage");
        assertThat(ShippedSchemas.history().get("commands").get(5).toString()).doesNotContain("IncreasePartitions", "ExpandStorage");

        Decision decision = samples.sampleOf(registry, "events", 4, Decision.class);
        assertThat(decision.getCommandId()).isNotNull();
        assertThat(ShippedSchemas.history().get("events").get(3).toString()).doesNotContain("PARTITIONS_CANNOT_DECREASE");
        assertThat(Decision.getClassSchema().toString()).contains("PARTITIONS_CANNOT_DECREASE", "STORAGE_CANNOT_SHRINK");
    }

    @Test
    void v8CarriesReplicationFactorChanges() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 8).stream().map(p -> p.getClass().getSimpleName()).toList()).contains("ChangeReplicationFactor");
        assertThat(ShippedSchemas.history().get("commands").get(6).toString()).doesNotContain("ChangeReplicationFactor");
    }

    @Test
    void v9CarriesRebalanceAndV7StatesReadWithNoRebalancePending() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 9)).filteredOn(io.coxswain.avro.command.RebalanceCluster.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(7).toString()).doesNotContain("RebalanceCluster");
        assertThat(samples.sampleOf(registry, "state", 7, ClusterState.class).getSpec().getRebalance())
                .as("clusters folded before state v8 have no rebalance pending").isNull();
        assertThat(ShippedSchemas.history().get("state").get(6).toString()).doesNotContain("RebalanceRequest");
    }

    @Test
    void v10CarriesClientAuthenticationChanges() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 10)).filteredOn(io.coxswain.avro.command.ChangeClientAuthentication.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(8).toString()).doesNotContain("ChangeClientAuthentication");
    }

    @Test
    void v11CarriesMaintenanceWindowsAndV8StatesReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<String> payloads = samples.payloadsOf(registry, 11).stream()
                .map(p -> p instanceof RecordObservation o ? o.getObservation().getClass().getSimpleName() : p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("SetMaintenanceWindows", "OperationDeferred");
        ClusterState v8 = samples.sampleOf(registry, "state", 8, ClusterState.class);
        assertThat(v8.getSpec().getMaintenanceWindows()).as("clusters folded before state v9 may be worked on any time").isEmpty();
        assertThat(v8.getStatus().getDeferred()).isNull();
    }

    @Test
    void v12CarriesCaReplacementsAndV9StatesReadWithNonePending() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 12)).filteredOn(io.coxswain.avro.command.ReplaceClusterCa.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(10).toString()).doesNotContain("ReplaceClusterCa");
        assertThat(samples.sampleOf(registry, "state", 9, ClusterState.class).getSpec().getCaReplacement())
                .as("clusters folded before state v10 have no CA replacement pending").isNull();
    }

    @Test
    void v13CarriesTheObservedCaAndV10StatesReadWithoutOne() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        List<String> payloads = samples.payloadsOf(registry, 13).stream()
                .map(p -> p instanceof RecordObservation o ? o.getObservation().getClass().getSimpleName() : p.getClass().getSimpleName()).toList();
        assertThat(payloads).contains("CaObserved");
        assertThat(ShippedSchemas.history().get("commands").get(11).toString()).doesNotContain("CaObserved");
        assertThat(samples.sampleOf(registry, "state", 10, ClusterState.class).getStatus().getCa())
                .as("clusters folded before state v11 show no CA until the executor reports it").isNull();
    }

    @Test
    void v14CarriesScramUsersAndV11StatesReadAsCertificateUsers() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(ShippedSchemas.history().get("commands").get(12).toString()).doesNotContain("SCRAM-SHA-512");
        assertThat(ShippedSchemas.history().get("commands").get(13).toString()).contains("SCRAM-SHA-512");
        ClusterState v11 = samples.sampleOf(registry, "state", 11, ClusterState.class);
        assertThat(v11.getSpec().getScramListener()).as("clusters folded before state v12 run no SCRAM listener").isFalse();
        assertThat(v11.getUsers().values()).as("their users have certificates").allMatch(u -> "TLS".equals(u.getAuthentication()));
    }

    @Test
    void v15CarriesPasswordRotationsAndV12StatesReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 15)).filteredOn(io.coxswain.avro.command.RotateUserPassword.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(13).toString()).doesNotContain("RotateUserPassword");
        ClusterState v12 = samples.sampleOf(registry, "state", 12, ClusterState.class);
        assertThat(v12.getUsers()).isNotEmpty();
        assertThat(v12.getUsers().values()).as("users folded before state v13 keep the password they were created with")
                .allMatch(u -> u.getPasswordRotation() == null);
    }

    @Test
    void v16CarriesReplicationProgressAndV13StatesReadWithNoneUnderWay() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 16)).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.ReplicationObserved).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(14).toString()).doesNotContain("ReplicationObserved");
        assertThat(samples.sampleOf(registry, "state", 13, ClusterState.class).getStatus().getReplication())
                .as("clusters folded before state v14 show no factor change under way until the executor looks").isEmpty();
    }

    @Test
    void v17CarriesClusterLabelsAndV14StatesReadWithNone() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 17)).filteredOn(io.coxswain.avro.command.SetClusterLabels.class::isInstance).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(15).toString()).doesNotContain("SetClusterLabels");
        ClusterState v14 = samples.sampleOf(registry, "state", 14, ClusterState.class);
        assertThat(v14.getSpec().getLabels()).as("clusters folded before state v15 have no labels").isEmpty();
        assertThat(v14.getUsers().values()).as("nor do their users say when they were created").allMatch(u -> u.getCreatedAt() == null);
    }

    @Test
    void v18CommandsMayAskForAnUnchangedIntentAndV15StatesReadWithIntentVersionZero() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(ShippedSchemas.history().get("commands").get(17).getField("unchangedSinceVersion")).isNotNull();
        assertThat(samples.sampleOf(registry, "commands", 17, Command.class).getUnchangedSinceVersion())
                .as("commands written before v18 ask nothing of the cluster's intent").isNull();
        assertThat(samples.sampleOf(registry, "state", 15, ClusterState.class).getIntentVersion())
                .as("states folded before state v16 read 0 until their next command").isZero();
    }

    @Test
    void v19RecordsTheExecutorsPassesAndV16StatesReadAsNoneYet() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 19)).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.ReconciledObserved).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(17).toString()).doesNotContain("ReconciledObserved");
        assertThat(samples.sampleOf(registry, "state", 16, ClusterState.class).getStatus().getReconciledIntentVersion())
                .as("clusters folded before state v17 show no pass until their executor's next one").isZero();
    }

    @Test
    void v20RecordsTheIntentVersionAReplayGivesAStateFromBeforeV16() throws Exception {
        InMemorySchemaRegistry registry = samples.registry();
        assertThat(samples.payloadsOf(registry, 20)).filteredOn(p -> p instanceof RecordObservation o
                && o.getObservation() instanceof io.coxswain.avro.command.IntentVersionReplayed).isNotEmpty();
        assertThat(ShippedSchemas.history().get("commands").get(18).toString()).doesNotContain("IntentVersionReplayed");
    }

    private static Schema last(List<Schema> list) {
        return list.get(list.size() - 1);
    }
}
