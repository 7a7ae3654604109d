package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A cluster's capacity through {@code cox}, end to end: its topics' partitions and replication factors,
 * its pods' sizing, its volumes, and a rebalance shown pending until its operation succeeds.
 */
class ClusterCapacityCliTest extends CoxCliHarness {

    @Test
    void aTopicsPartitionsAreRaisedThroughTheCliAndNeverLowered() throws Exception {
        assertThat(cox("create-cluster", "parts", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "parts", "orders", "--partitions", "3", "--replication-factor", "3").code()).isZero();

        Run dry = cox("topic", "partitions", "parts", "orders", "--partitions", "6", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("IncreasePartitions on parts: would be accepted as version 3", "topics[\"orders\"].partitions: 3 -> 6");
        Run more = cox("topic", "partitions", "parts", "orders", "--partitions", "6", "--expected-version", "2");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.out()).contains("IncreasePartitions on parts: accepted, version 3");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "parts", "-o", "json").out()).at("/topics/orders/partitions").asInt()).isEqualTo(6);

        Run fewer = cox("topic", "partitions", "parts", "orders", "--partitions", "4");
        assertThat(fewer.code()).isEqualTo(1);
        assertThat(fewer.err()).contains("IncreasePartitions on parts rejected (PARTITIONS_CANNOT_DECREASE)", "Kafka cannot remove partitions");
        Run zero = cox("topic", "partitions", "parts", "orders", "--partitions", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("[payload.partitions]");
        Run help = cox("topic", "partitions", "--help");
        assertThat(help.out()).contains("Kafka cannot lower it", "A key's partition changes with the count", "--partitions=N", "--dry-run");
    }

    @Test
    void aTopicsReplicationFactorIsChangedThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "rf", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "rf", "orders", "--partitions", "3", "--replication-factor", "1").code()).isZero();

        Run dry = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "3", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ChangeReplicationFactor on rf: would be accepted as version 3", "topics[\"orders\"].replicationFactor: 1 -> 3");
        Run up = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "3", "--expected-version", "2");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("ChangeReplicationFactor on rf: accepted, version 3");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "rf", "-o", "json").out()).at("/topics/orders/replicationFactor").asInt()).isEqualTo(3);

        Run tooHigh = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "4");
        assertThat(tooHigh.code()).isEqualTo(1);
        assertThat(tooHigh.err()).contains("ChangeReplicationFactor on rf rejected (REPLICATION_FACTOR_TOO_HIGH)", "more than the 3 brokers");
        Run zero = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("[payload.replicationFactor]");
        Run help = cox("topic", "replication-factor", "--help");
        assertThat(help.out()).contains("Raise or lower", "make room for a scale-in", "min.insync.replicas", "--replication-factor=N", "--dry-run");
    }

    @Test
    void aClustersSizingThroughTheCli() throws Exception {
        Run created = cox("create-cluster", "sized", "--kafka-version", "4.1.0", "--broker-cpu", "2", "--broker-cpu-limit", "4",
                "--broker-memory", "8Gi", "--broker-heap", "6g", "--controller-memory", "2Gi", "--controller-heap", "1g");
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode resources = GatewayHarness.JSON.readTree(cox("get", "sized", "-o", "json").out()).at("/spec/resources");
        assertThat(resources.at("/brokers/cpuLimit").asText()).isEqualTo("4");
        assertThat(resources.at("/controllers/heap").asText()).isEqualTo("1g");
        assertThat(resources.at("/controllers/cpuRequest").isNull()).isTrue();

        Run updated = cox("update-resources", "sized", "--role", "controllers", "--memory", "4Gi", "--heap", "3g");
        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("UpdateResources on sized: accepted, version 2");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "sized", "-o", "json").out()).at("/spec/resources/controllers/memory").asText())
                .isEqualTo("4Gi");

        Run squeezed = cox("update-resources", "sized", "--role", "brokers", "--memory", "4Gi");
        assertThat(squeezed.code()).isEqualTo(1);
        assertThat(squeezed.err()).contains("INVALID_COMMAND", "heap 6g is more than 75% of memory 4Gi");
        Run malformed = cox("update-resources", "sized", "--role", "brokers", "--cpu", "two");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("[payload.cpuRequest]", "500m or 2");
        Run nothing = cox("create-cluster", "plain", "--kafka-version", "4.1.0");
        assertThat(nothing.code()).isZero();
        assertThat(GatewayHarness.JSON.readTree(cox("get", "plain", "-o", "json").out()).at("/spec/resources").isNull())
                .as("no sizing options: the installation's defaults").isTrue();
    }

    @Test
    void aClustersVolumesGrowThroughTheCliAndNeverShrink() throws Exception {
        assertThat(cox("create-cluster", "disks", "--kafka-version", "4.1.0", "--storage", "100Gi").code()).isZero();
        Run dry = cox("expand-storage", "disks", "--size", "200Gi", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ExpandStorage on disks: would be accepted as version 2", "spec.storage.size: \"100Gi\" -> \"200Gi\"");

        Run grown = cox("expand-storage", "disks", "--size", "200Gi", "--expected-version", "1");
        assertThat(grown.code()).as(grown.err()).isZero();
        assertThat(grown.out()).contains("ExpandStorage on disks: accepted, version 2");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "disks", "-o", "json").out()).at("/spec/storage/size").asText()).isEqualTo("200Gi");

        Run stale = cox("expand-storage", "disks", "--size", "300Gi", "--expected-version", "1");
        assertThat(stale.code()).isEqualTo(1);
        assertThat(stale.err()).contains("VERSION_CONFLICT");
        Run shrink = cox("expand-storage", "disks", "--size", "150Gi");
        assertThat(shrink.code()).isEqualTo(1);
        assertThat(shrink.err()).contains("STORAGE_CANNOT_SHRINK", "cannot shrink to 150Gi", "Kubernetes can only grow a volume");
        Run same = cox("expand-storage", "disks", "--size", "204800Mi");
        assertThat(same.code()).isEqualTo(1);
        assertThat(same.err()).contains("NO_CHANGE", "already 200Gi");
        Run malformed = cox("expand-storage", "disks", "--size", "2TB");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("[payload.size]", "(Mi, Gi or Ti)");
        assertThat(cox("expand-storage", "disks").code()).as("--size is required").isEqualTo(2);
    }

    @Test
    void aClusterIsRebalancedThroughTheCliAndShownPendingUntilItsOperationSucceeds() throws Exception {
        assertThat(cox("create-cluster", "spread", "--kafka-version", "4.1.0").code()).isZero();
        Run dry = cox("rebalance", "spread", "--reason", "broker 2 replaced", "--throttle", "50MiB", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("RebalanceCluster on spread: would be accepted as version 2", "spec.rebalance: null -> {",
                "\"throttleBytesPerSecond\":52428800");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "spread", "-o", "json").out()).at("/spec/rebalance").isNull())
                .as("a dry run writes nothing").isTrue();

        Run accepted = cox("rebalance", "spread", "--reason", "broker 2 replaced", "--throttle", "50MiB", "--expected-version", "1",
                "--command-id", "rebalance-spread-1");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("RebalanceCluster on spread: accepted, version 2");
        JsonNode pending = GatewayHarness.JSON.readTree(cox("get", "spread", "-o", "json").out()).at("/spec/rebalance");
        assertThat(pending.get("commandId").asText()).isEqualTo("rebalance-spread-1");
        assertThat(pending.get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(pending.get("throttleBytesPerSecond").asLong()).isEqualTo(50L * 1024 * 1024);
        assertThat(cox("get", "spread").out()).contains("rebalance pending: asked by " + GatewayHarness.PRINCIPAL + " at ",
                "(command rebalance-spread-1), throttle 50 MiB/s per broker; reason: broker 2 replaced");

        // what the executor reports once it starts: meanwhile another rebalance waits, and the request stays pending
        h.observe("spread", "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/rebalance-spread-1\",\"operation\":\"Rebalance\","
                + "\"state\":\"RUNNING\",\"causeCommandId\":\"rebalance-spread-1\"}");
        Run busy = cox("rebalance", "spread");
        assertThat(busy.code()).isEqualTo(1);
        assertThat(busy.err()).contains("RebalanceCluster on spread rejected (OPERATION_IN_PROGRESS)", "Rebalance Rebalance/rebalance-spread-1");
        assertThat(cox("get", "spread").out()).contains("Rebalancing", "rebalance pending");
        h.observe("spread", "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/rebalance-spread-1\",\"operation\":\"Rebalance\","
                + "\"state\":\"SUCCEEDED\",\"causeCommandId\":\"rebalance-spread-1\"}");
        assertThat(cox("get", "spread").out()).doesNotContain("rebalance pending");

        assertThat(cox("create-cluster", "solo", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
        Run solo = cox("rebalance", "solo", "--reason", "why not");
        assertThat(solo.code()).isEqualTo(1);
        assertThat(solo.err()).contains("RebalanceCluster on solo rejected (NO_CHANGE)", "has 1 broker", "scale it out");

        Run decimal = cox("rebalance", "spread", "--throttle", "50MB");
        assertThat(decimal.code()).isEqualTo(2);
        assertThat(decimal.err()).contains("--throttle must be bytes per second", "50MiB", "got '50MB'");
        Run tooSlow = cox("rebalance", "spread", "--throttle", "1024");
        assertThat(tooSlow.code()).isEqualTo(2);
        assertThat(tooSlow.err()).contains("[payload.throttleBytesPerSecond]", "between 1048576 (1 MiB/s) and 10737418240 (10 GiB/s)");
        assertThat(cox("history", "spread").out().lines().filter(l -> l.contains("RebalanceCluster")).count())
                .as("bad input writes nothing: the accepted one and the busy one").isEqualTo(2);
        Run help = cox("rebalance", "--help");
        assertThat(help.out()).contains("preferred leaders", "cox operation show CLUSTER", "--throttle=RATE", "--reason=<reason>", "--expected-version",
                "--dry-run");
    }
}
