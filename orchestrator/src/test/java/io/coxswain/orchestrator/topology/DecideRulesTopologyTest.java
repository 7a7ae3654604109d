package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.SetComponent;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.OlderWriters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every DECIDE rule, through the real topology: what is accepted, and what is rejected with which reason. */
class DecideRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();
    private int clock;

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder on(String cluster) {
        return Commands.on(cluster).issuer("alice").issuedAt(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(clock++));
    }

    private void createPayments() {
        assertThat(acceptedVersion(h.send(on("payments").createCluster("4.1.0", 3, 3, "10Gi")))).isEqualTo(1);
    }

    @Test
    void createThenChangesBumpTheVersionAndFoldIntoTheState() {
        createPayments();
        assertThat(acceptedVersion(h.send(on("payments").scaleBrokers(5)))).isEqualTo(2);
        assertThat(acceptedVersion(h.send(on("payments").createTopic("orders", 12, 3, Map.of("min.insync.replicas", "2"))))).isEqualTo(3);
        assertThat(acceptedVersion(h.send(on("payments").updateBrokerConfig(Map.of("num.io.threads", "16"), List.of())))).isEqualTo(4);
        assertThat(acceptedVersion(h.send(on("payments").upgradeKafka("4.2.0")))).isEqualTo(5);

        var state = h.state("payments");
        assertThat(state.getVersion()).isEqualTo(5);
        assertThat(state.getSpec().getBrokers()).isEqualTo(5);
        assertThat(state.getSpec().getKafkaVersion()).isEqualTo("4.2.0");
        assertThat(state.getSpec().getBrokerConfig()).containsEntry("num.io.threads", "16");
        assertThat(state.getTopics().get("orders").getPartitions()).isEqualTo(12);
        assertThat(state.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(state.getSpec().getImage()).isEqualTo("apache/kafka");
        assertThat(h.states.readValuesToList()).hasSize(5);
    }

    @Test
    void createOverAnExistingClusterIsRejected() {
        createPayments();
        CommandRejected r = rejected(h.send(on("payments").createCluster("4.1.0", 1, 1, "1Gi")));
        assertThat(r.getCode()).isEqualTo(RejectionCode.CLUSTER_EXISTS);
        assertThat(r.getReason()).contains("'payments' already exists").contains("version 1");
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(3);
    }

    @Test
    void commandsOnAnUnknownClusterAreRejected() {
        CommandRejected r = rejected(h.send(on("ghost").scaleBrokers(3)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.CLUSTER_NOT_FOUND);
        assertThat(r.getReason()).contains("create it with CreateCluster first");
        assertThat(h.state("ghost")).isNull();
        assertThat(h.states.isEmpty()).isTrue();
    }

    @Test
    void expectedVersionMismatchNamesBothVersions() {
        createPayments();
        CommandRejected r = rejected(h.send(on("payments").expectedVersion(7).scaleBrokers(4)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(r.getReason()).contains("expected version 7").contains("at version 1");
        assertThat(r.getCurrentVersion()).isEqualTo(1L);
        assertThat(acceptedVersion(h.send(on("payments").expectedVersion(1).scaleBrokers(4)))).isEqualTo(2);
    }

    @Test
    void unchangedSinceIgnoresWhatTheExecutorRecordedButRefusesAChangeSomeoneMadeMeanwhile() {
        createPayments();
        // read at version 1; the executor then records what it sees: no change of intent
        acceptedVersion(h.send(on("payments").observation("executor-1", new ComponentObserved("brokers", 3, 2, List.of("4.1.0"), null))));
        assertThat(h.state("payments").getVersion()).isEqualTo(2);
        assertThat(h.state("payments").getIntentVersion()).as("only what someone asked for moves it").isEqualTo(1);
        assertThat(rejected(h.send(on("payments").expectedVersion(1).scaleBrokers(4))).getCode())
                .as("expectedVersion still means nothing at all happened").isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(acceptedVersion(h.send(on("payments").unchangedSince(1).scaleBrokers(4)))).isEqualTo(3);
        assertThat(h.state("payments").getIntentVersion()).isEqualTo(3);

        // someone else read version 2 and decides on it after the scale-out was accepted: refused, naming when it changed
        CommandRejected r = rejected(h.send(on("payments").unchangedSince(2).scaleBrokers(6)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(r.getReason()).contains("changed at version 3, after version 2").contains("read the cluster again");
        assertThat(r.getCurrentVersion()).isEqualTo(3L);
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(4);

        CommandRejected ahead = rejected(h.send(on("payments").unchangedSince(9).scaleBrokers(6)));
        assertThat(ahead.getCode()).isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(ahead.getReason()).contains("unchanged since version 9 asked").contains("only at version 3");
        assertThat(acceptedVersion(h.send(on("payments").unchangedSince(3).scaleBrokers(6)))).isEqualTo(4);
    }

    @Test
    void theExecutorsPassOverAnIntentIsRecordedAndNeverGoesBack() {
        createPayments();
        acceptedVersion(h.send(on("payments").scaleBrokers(4)));
        assertThat(h.state("payments").getStatus().getReconciledIntentVersion()).as("no pass yet").isZero();
        acceptedVersion(h.send(on("payments").observation("executor-1", new ReconciledObserved(2L))));
        assertThat(h.state("payments").getStatus().getReconciledIntentVersion()).isEqualTo(2);
        assertThat(h.state("payments").getIntentVersion()).as("a pass is no change of intent").isEqualTo(2);
        // a late record from an executor that lost the cluster meanwhile
        acceptedVersion(h.send(on("payments").observation("executor-0", new ReconciledObserved(1L))));
        assertThat(h.state("payments").getStatus().getReconciledIntentVersion()).isEqualTo(2);
    }

    /** A state as a Coxswain from before intent versions left it (state schema v15) takes the intentVersion its log gives, once. */
    @Test
    void aStateFoldedBeforeIntentVersionsTakesTheReplayedOneAndOnlyThat() {
        createPayments();
        acceptedVersion(h.send(on("payments").scaleBrokers(4)));
        acceptedVersion(h.send(on("payments").observation("executor-1", new ReconciledObserved(2L))));
        h.driver.<String, byte[]>getKeyValueStore(CoxswainTopology.STATE_STORE).put("payments",
                OlderWriters.encode(h.registry, h.codecs.states(), "state", 15, h.state("payments")));
        assertThat(h.state("payments").getIntentVersion()).as("read from a v15 record").isZero();

        CommandRejected above = rejected(h.send(on("payments").observation("executor-1", new IntentVersionReplayed(4L))));
        assertThat(above.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(above.getReason()).contains("1 to 3");
        assertThat(acceptedVersion(h.send(on("payments").observation("executor-1", new IntentVersionReplayed(2L))))).isEqualTo(4);
        assertThat(h.state("payments").getIntentVersion()).isEqualTo(2);
        // as a replay decides it, whose state has it from the start; and a record sent twice
        assertThat(acceptedVersion(h.send(on("payments").observation("executor-1", new IntentVersionReplayed(2L))))).isEqualTo(5);
        CommandRejected other = rejected(h.send(on("payments").observation("executor-1", new IntentVersionReplayed(1L))));
        assertThat(other.getCode()).isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(other.getReason()).contains("has intentVersion 2, not 1");
        // and unchangedSinceVersion protects it again
        assertThat(rejected(h.send(on("payments").unchangedSince(1).scaleBrokers(5))).getCode()).isEqualTo(RejectionCode.VERSION_CONFLICT);
        assertThat(acceptedVersion(h.send(on("payments").unchangedSince(2).scaleBrokers(5)))).isEqualTo(6);
        assertThat(h.state("payments").getIntentVersion()).isEqualTo(6);
    }

    @Test
    void createWithExpectedVersionZeroOnlyWhenAbsent() {
        assertThat(acceptedVersion(h.send(on("payments").expectedVersion(0).createCluster("4.1.0", 1, 1, "1Gi")))).isEqualTo(1);
    }

    @Test
    void aRepeatedCommandIdReturnsTheFirstOutcomeAndIsNeverAppliedTwice() {
        createPayments();
        Command scale = on("payments").commandId("scale-once").scaleBrokers(4);
        long first = acceptedVersion(h.send(scale));
        Decision repeat = h.send(scale);
        assertThat(repeat.getDuplicate()).isTrue();
        assertThat(acceptedVersion(repeat)).isEqualTo(first);
        // same id, different payload: still the first outcome, nothing applied
        Decision reused = h.send(on("payments").commandId("scale-once").scaleBrokers(9));
        assertThat(acceptedVersion(reused)).isEqualTo(first);
        assertThat(h.state("payments").getVersion()).isEqualTo(2);
        assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(4);
    }

    @Test
    void aRepeatedRejectedCommandIsRejectedAgainWithTheSameReason() {
        CommandRejected first = rejected(h.send(on("ghost").commandId("c1").scaleBrokers(3)));
        createGhost();
        Decision repeat = h.send(on("ghost").commandId("c1").scaleBrokers(3));
        assertThat(repeat.getDuplicate()).isTrue();
        assertThat(rejected(repeat).getReason()).isEqualTo(first.getReason());
    }

    private void createGhost() {
        acceptedVersion(h.send(on("ghost").createCluster("4.1.0", 1, 3, "1Gi")));
    }

    @Test
    void downgradeNeedsExplicitConsentAndSameVersionIsNoChange() {
        createPayments();
        CommandRejected down = rejected(h.send(on("payments").upgradeKafka("4.0.0")));
        assertThat(down.getCode()).isEqualTo(RejectionCode.DOWNGRADE_NOT_ALLOWED);
        assertThat(down.getReason()).contains("allowDowngrade=true");
        assertThat(rejected(h.send(on("payments").upgradeKafka("4.1.0"))).getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(acceptedVersion(h.send(on("payments").upgradeKafka("4.0.0", true)))).isEqualTo(2);
        assertThat(h.state("payments").getSpec().getKafkaVersion()).isEqualTo("4.0.0");
    }

    @Test
    void topicReplicationFactorCannotExceedBrokers() {
        createPayments();
        CommandRejected r = rejected(h.send(on("payments").createTopic("orders", 3, 4, Map.of())));
        assertThat(r.getCode()).isEqualTo(RejectionCode.REPLICATION_FACTOR_TOO_HIGH);
        assertThat(r.getReason()).contains("replication factor 4").contains("3 brokers");
    }

    @Test
    void topicLifecycleRules() {
        createPayments();
        acceptedVersion(h.send(on("payments").createTopic("orders", 3, 3, Map.of())));
        assertThat(rejected(h.send(on("payments").createTopic("orders", 3, 3, Map.of()))).getCode()).isEqualTo(RejectionCode.TOPIC_EXISTS);
        assertThat(rejected(h.send(on("payments").updateTopicConfig("nope", Map.of("retention.ms", "1"), List.of()))).getCode())
                .isEqualTo(RejectionCode.TOPIC_NOT_FOUND);
        acceptedVersion(h.send(on("payments").updateTopicConfig("orders", Map.of("retention.ms", "1000"), List.of())));
        assertThat(rejected(h.send(on("payments").updateTopicConfig("orders", Map.of("retention.ms", "1000"), List.of()))).getCode())
                .isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(h.state("payments").getTopics().get("orders").getConfig()).containsEntry("retention.ms", "1000");
        acceptedVersion(h.send(on("payments").deleteTopic("orders")));
        assertThat(h.state("payments").getTopics()).doesNotContainKey("orders");
        assertThat(rejected(h.send(on("payments").deleteTopic("orders"))).getCode()).isEqualTo(RejectionCode.TOPIC_NOT_FOUND);
    }

    @Test
    void scaleInBelowATopicsReplicationFactorIsRefused() {
        createPayments();
        acceptedVersion(h.send(on("payments").createTopic("orders", 3, 3, Map.of())));
        CommandRejected r = rejected(h.send(on("payments").scaleBrokers(2)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.REPLICAS_WOULD_NOT_FIT);
        assertThat(r.getReason()).contains("topic 'orders' has replication factor 3");
        assertThat(rejected(h.send(on("payments").scaleBrokers(3))).getCode()).isEqualTo(RejectionCode.NO_CHANGE);
    }

    @Test
    void invalidShapesAreRejectedNamingTheField() {
        createPayments();
        // a producer that skips the builder's checks can still put this on the topic
        Command bad = on("payments").scaleBrokers(4);
        bad.setPayload(new ScaleBrokers(0));
        CommandRejected r = rejected(h.send(bad));
        assertThat(r.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(r.getReason()).contains("payload.brokers").contains("between 1 and 100");
    }

    @Test
    void managedBrokerKeysCannotBeSet() {
        createPayments();
        Command bad = on("payments").updateBrokerConfig(Map.of("num.io.threads", "8"), List.of());
        bad.setPayload(new io.coxswain.avro.command.UpdateBrokerConfig(Map.of("listeners", "PLAINTEXT://:1"), List.of()));
        CommandRejected r = rejected(h.send(bad));
        assertThat(r.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(r.getReason()).contains("'listeners' is managed by Coxswain");
    }

    @Test
    void pausedClustersTakeOnlyResumeDeleteAndObservations() {
        createPayments();
        acceptedVersion(h.send(on("payments").pause("maintenance window")));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Paused");
        CommandRejected r = rejected(h.send(on("payments").scaleBrokers(4)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        assertThat(r.getReason()).contains("maintenance window").contains("ResumeReconciliation");
        acceptedVersion(h.send(on("payments").observation("executor-1", new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), null))));
        assertThat(rejected(h.send(on("payments").pause("again"))).getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        acceptedVersion(h.send(on("payments").resume()));
        assertThat(acceptedVersion(h.send(on("payments").scaleBrokers(4)))).isEqualTo(5);
    }

    @Test
    void deletingClustersTakeOnlyObservationsThenCanBeCreatedAgain() {
        createPayments();
        acceptedVersion(h.send(on("payments").deleteCluster(true)));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Deleting");
        assertThat(h.state("payments").getSpec().getDeleteVolumes()).isTrue();
        assertThat(rejected(h.send(on("payments").scaleBrokers(4))).getCode()).isEqualTo(RejectionCode.CLUSTER_DELETING);
        acceptedVersion(h.send(on("payments").observation("executor-1", new io.coxswain.avro.command.ClusterRemovedObserved(true))));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Deleted");
        assertThat(rejected(h.send(on("payments").scaleBrokers(4))).getCode()).isEqualTo(RejectionCode.CLUSTER_NOT_FOUND);
        assertThat(acceptedVersion(h.send(on("payments").createCluster("4.1.0", 1, 1, "1Gi")))).isEqualTo(4);
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void observationsDriveThePhase() {
        createPayments();
        observe(new ComponentObserved("controllers", 3, 1, List.of("4.1.0"), "apache/kafka:4.1.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Provisioning");
        observe(new ComponentObserved("controllers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        observe(new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");
        observe(new ComponentObserved("brokers", 3, 2, List.of("4.1.0"), "apache/kafka:4.1.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Degraded");
        observe(new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        acceptedVersion(h.send(on("payments").upgradeKafka("4.2.0")));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Reconciling");
        observe(new OperationObserved("op-1", "RollingUpgrade", OperationState.RUNNING, "u-17", null));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Upgrading");
        CommandRejected busy = rejected(h.send(on("payments").scaleBrokers(5)));
        assertThat(busy.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(busy.getReason()).contains("RollingUpgrade op-1");
        observe(new OperationObserved("op-1", "RollingUpgrade", OperationState.SUCCEEDED, "u-17", null));
        observe(new ComponentObserved("controllers", 3, 3, List.of("4.2.0"), "apache/kafka:4.2.0"));
        observe(new ComponentObserved("brokers", 3, 3, List.of("4.2.0"), "apache/kafka:4.2.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");
    }

    @Test
    void platformComponentsAreSetChangedAndRemovedAndTheirShapeCountsForReady() {
        createPayments();
        observe(new ComponentObserved("controllers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        observe(new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");

        long v = acceptedVersion(h.send(on("payments").setComponent("schema-registry", 2, null, null, Map.of("schema.compatibility.level", "full"))));
        var sr = h.state("payments").getSpec().getComponents().get("schema-registry");
        assertThat(sr.getReplicas()).isEqualTo(2);
        assertThat(sr.getVersion()).isEqualTo("8.0.0");
        assertThat(sr.getImage()).isEqualTo("confluentinc/cp-schema-registry");
        assertThat(sr.getConfig()).containsEntry("schema.compatibility.level", "full");
        // asked for and not yet observed: the platform is not Ready
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Reconciling");
        observe(new ComponentObserved("schema-registry", 2, 2, List.of("8.0.0"), "confluentinc/cp-schema-registry:8.0.0"));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");

        CommandRejected same = rejected(h.send(on("payments").setComponent("schema-registry", 2, "8.0.0", null, Map.of("schema.compatibility.level", "full"))));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).contains("schema-registry", "2 replica(s)", "cp-schema-registry:8.0.0");
        // version and image left out keep what runs; the config is replaced as a whole
        acceptedVersion(h.send(on("payments").setComponent("schema-registry", 3, null, null, Map.of())));
        sr = h.state("payments").getSpec().getComponents().get("schema-registry");
        assertThat(sr.getReplicas()).isEqualTo(3);
        assertThat(sr.getVersion()).isEqualTo("8.0.0");
        assertThat(sr.getConfig()).isEmpty();
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Reconciling");

        CommandRejected absent = rejected(h.send(on("payments").removeComponent("connect")));
        assertThat(absent.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(absent.getReason()).contains("connect does not run", "it runs schema-registry");
        acceptedVersion(h.send(on("payments").removeComponent("schema-registry")));
        assertThat(h.state("payments").getSpec().getComponents()).isEmpty();
        assertThat(h.state("payments").getStatus().getComponents()).doesNotContainKey("schema-registry");
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");
        // an observation made before the removal and folded after it does not bring the component back
        observe(new ComponentObserved("schema-registry", 3, 1, List.of("8.0.0"), "confluentinc/cp-schema-registry:8.0.0"));
        assertThat(h.state("payments").getStatus().getComponents()).doesNotContainKey("schema-registry");
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Ready");
        assertThat(v).isGreaterThan(3);
    }

    @Test
    void componentShapesAreCheckedNamingTheField() {
        createPayments();
        // a producer that skips the builder's checks can still put these on the topic
        CommandRejected unknown = rejected(h.send(unchecked(new SetComponent("zookeeper", 1, null, null, Map.of(), List.of()))));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(unknown.getReason()).contains("payload.component", "schema-registry, connect, rest-proxy, ksqldb");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 0, null, null, Map.of(), List.of())))).getReason())
                .contains("payload.replicas", "RemoveComponent");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, "latest", null, Map.of(), List.of())))).getReason())
                .contains("payload.version");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, null, null, Map.of("group.id", "mine"), List.of())))).getReason())
                .contains("'group.id' is managed by Coxswain for connect");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, null, null, Map.of(), List.of("payments-cluster-ca"))))).getReason())
                .as("the CA's key is no connector's to read").contains("payload.secrets", "'payments-cluster-ca' holds keys Coxswain made");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, null, null, Map.of(), List.of("payments-user-billing"))))).getReason())
                .as("a user's credentials would get round its ACLs").contains("payload.secrets", "'payments-user-billing'");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, null, null, Map.of(), List.of("orders-kafka-tls"))))).getReason())
                .as("another cluster's in a shared namespace").contains("payload.secrets", "'orders-kafka-tls'");
        assertThat(rejected(h.send(unchecked(new SetComponent("connect", 1, null, null, Map.of(), List.of("pg", "pg"))))).getReason())
                .contains("payload.secrets", "'pg' is named twice");
        assertThat(h.state("payments").getSpec().getComponents()).isEmpty();
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, null, null, Map.of(), List.of("pg-creds", "aws.keys"))));
        assertThat(h.state("payments").getSpec().getComponents().get("connect").getSecrets()).as("sorted").containsExactly("aws.keys", "pg-creds");
    }

    private Command unchecked(Object payload) {
        Command c = on("payments").scaleBrokers(4);
        c.setPayload(payload);
        return c;
    }

    private void observe(Object observation) {
        acceptedVersion(h.send(on("payments").observation("executor-1", observation)));
    }
}
