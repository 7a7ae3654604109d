package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.commands.AclRules;
import io.coxswain.orchestrator.audit.ScriptedClusters.Script;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The scripted life of one cluster in {@link VariedLog}: every core command and observation type once, with the rejection
 * each rule gives (no change, conflicts, paused, deleting, downgrade, an operation in progress), day-2 operations run,
 * failed, retried and abandoned, and the cluster deleted and created again.
 */
final class ScriptedLifecycle {

    private ScriptedLifecycle() {
    }

    static void lifecycle(Script s, String id) {
        s.add(id, s.on(id).createCluster("4.0.0", 3, 3, "10Gi"));
        s.add(id, s.on(id).observation("exec-1", ComponentObserved.newBuilder().setComponent("controllers").setDesired(3).setReady(3).setVersions(List.of("4.0.0")).build()));
        s.add(id, s.on(id).observation("exec-1", ComponentObserved.newBuilder().setComponent("brokers").setDesired(3).setReady(3).setVersions(List.of("4.0.0")).build()));
        s.add(id, s.on(id).observation("exec-1", new EndpointObserved(id + "-bootstrap:9092")));
        s.add(id, s.on(id).createTopic("orders", 6, 3, Map.of("retention.ms", "1000")));
        s.add(id, s.on(id).updateTopicConfig("orders", Map.of("retention.ms", "2000"), List.of()));
        s.add(id, s.on(id).increasePartitions("orders", 12));
        s.add(id, s.on(id).increasePartitions("orders", 12)); // rejected: no change
        s.add(id, s.on(id).increasePartitions("orders", 3)); // rejected: partitions cannot decrease
        s.add(id, s.on(id).increasePartitions("invoices", 3)); // rejected: topic not found
        s.add(id, s.on(id).changeReplicationFactor("orders", 2));
        s.add(id, s.on(id).changeReplicationFactor("orders", 2)); // rejected: no change
        s.add(id, s.on(id).changeReplicationFactor("orders", 4)); // rejected: more than the 3 brokers
        s.add(id, s.on(id).updateTopicConfig("orders", Map.of("min.insync.replicas", "2"), List.of()));
        s.add(id, s.on(id).changeReplicationFactor("orders", 1)); // rejected: not above min.insync.replicas
        s.add(id, s.on(id).changeReplicationFactor("invoices", 2)); // rejected: topic not found
        s.add(id, s.on(id).changeReplicationFactor("orders", 3));
        s.add(id, s.on(id).observation("exec-1", new ReplicationObserved(Map.of("orders", new TopicReplicationObserved(3, 12, 5, 2, null)))));
        s.add(id, s.on(id).observation("exec-1", new ReplicationObserved(Map.of())));
        s.add(id, s.on(id).createTopic("tmp", 1, 1, Map.of("retention.ms", "abc"))); // accepted: Kafka judges the value
        s.add(id, s.on(id).observation("exec-1", new TopicsRefusedObserved(Map.of("tmp", new TopicRefusalObserved(
                "InvalidConfigurationException: Invalid value abc for configuration retention.ms", null),
                "gone", new TopicRefusalObserved("PolicyViolationException: no", null))))); // gone: not a topic of the state
        s.add(id, s.on(id).deleteTopic("tmp")); // clears its refusal
        s.add(id, s.on(id).observation("exec-1", new TopicsRefusedObserved(Map.of())));
        s.add(id, s.on(id).updateBrokerConfig(Map.of("num.io.threads", "16"), List.of()));
        s.add(id, s.on(id).observation("exec-1", new ExecutorRefusalsObserved(Map.of("brokerConfig/cluster-default",
                new ExecutorRefusalObserved("Kafka refused SET num.io.threads=16: PolicyViolationException: no", null),
                "namespace", new ExecutorRefusalObserved("its namespace is Coxswain's own", "c-1")))));
        s.add(id, s.on(id).observation("exec-1", new ExecutorRefusalsObserved(Map.of("namespace",
                new ExecutorRefusalObserved("its namespace is Coxswain's own", "c-1"))))); // replaces the set
        s.add(id, s.on(id).observation("exec-1", new ExecutorRefusalsObserved(Map.of())));
        s.add(id, s.on(id).scaleBrokers(4));
        Command upgrade = s.on(id).upgradeKafka("4.1.0");
        s.add(id, upgrade);
        String op = "op-" + upgrade.getCommandId();
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.RUNNING, upgrade.getCommandId(), null)));
        s.add(id, s.on(id).scaleBrokers(5)); // rejected: operation in progress
        s.add(id, s.on(id).observation("exec-1", new OperationStepObserved(op, "restart-broker-1", StepState.STARTED, 1, null, 0, 3)));
        s.add(id, s.on(id).observation("exec-1", new ResourceActionObserved(ResourceAction.RESTART, "Pod", "kafka", id + "-broker-1",
                "upgrade to 4.1.0", upgrade.getCommandId(), null)));
        s.add(id, s.on(id).observation("exec-1", new OperationStepObserved(op, "restart-broker-1", StepState.FINISHED, 1, null, 1, 3)));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.SUCCEEDED, upgrade.getCommandId(), null)));
        s.add(id, s.on(id).observation("exec-1", new ReconciledObserved(30L)));
        s.add(id, s.on(id).observation("exec-1", new IntentVersionReplayed(1L))); // rejected: the state has its own, not 1
        s.add(id, s.on(id).observation("exec-1", new IntentVersionReplayed(1_000_000L))); // rejected: no such version
        s.add(id, s.on(id).unchangedSince(1).scaleBrokers(5)); // rejected: changed since version 1
        s.add(id, s.on(id).unchangedSince(100_000).scaleBrokers(5)); // rejected: not at that version yet
        day2(s, id);
        s.add(id, s.on(id).upgradeKafka("4.0.0")); // rejected: downgrade
        s.add(id, s.on(id).pause("maintenance"));
        s.add(id, s.on(id).scaleBrokers(3)); // rejected: paused
        s.add(id, s.on(id).resume());
        s.add(id, s.on(id).expectedVersion(1).scaleBrokers(2)); // rejected: version conflict
        s.add(id, s.on(id).deleteCluster(true));
        s.add(id, s.on(id).scaleBrokers(2)); // rejected: deleting
        s.add(id, s.on(id).observation("exec-1", new ClusterRemovedObserved(true)));
        s.add(id, s.on(id).createCluster("4.1.0", 1, 1, "1Gi")); // created again after deletion
    }

    /** A manual restart that fails, is retried, fails again and is abandoned; unmanaged topics appear and go. */
    private static void day2(Script s, String id) {
        Command restart = s.on(id).restartCluster("brokers", "JVM leak");
        s.add(id, restart);
        String op = "RollingRestart/" + restart.getCommandId();
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.RUNNING, restart.getCommandId(), null)));
        s.add(id, s.on(id).retryOperation(op, null)); // rejected: still running
        s.add(id, s.on(id).restartCluster("all", null)); // rejected: operation in progress
        s.add(id, s.on(id).observation("exec-1", new OperationStepObserved(op, "restart " + id + "-broker-0", StepState.FAILED, 0, "gave up", 0, 4)));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "gave up")));
        s.add(id, s.on(id).retryOperation(op, "pod fixed"));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "gave up")));
        s.add(id, s.on(id).abandonOperation(op, "tomorrow"));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "late")));
        s.add(id, s.on(id).abandonOperation(op, null)); // rejected: already ended
        s.add(id, s.on(id).retryOperation("no-such-op", null)); // rejected: unknown
        s.add(id, s.on(id).observation("exec-1", new TopicsObserved(List.of("legacy", "audit"))));
        s.add(id, s.on(id).observation("exec-1", new TopicsObserved(List.of())));
        ScriptedClusters.connectors(s, id);
        s.add(id, s.on(id).expandStorage("20Gi"));
        s.add(id, s.on(id).expandStorage("20480Mi")); // rejected: no change
        s.add(id, s.on(id).expandStorage("15Gi")); // rejected: volumes cannot shrink
        Command rebalance = s.on(id).rebalanceCluster("topics created unevenly", null);
        s.add(id, rebalance);
        String rb = "Rebalance/" + rebalance.getCommandId();
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(rb, "Rebalance", OperationState.RUNNING, rebalance.getCommandId(), null)));
        s.add(id, s.on(id).rebalanceCluster(null, null)); // rejected: operation in progress
        s.add(id, s.on(id).observation("exec-1", new OperationStepObserved(rb, "rebalance", StepState.STARTED, null, "6 partition(s)", 0, 6)));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(rb, "Rebalance", OperationState.SUCCEEDED, rebalance.getCommandId(), null)));
        s.add(id, s.on(id).rebalanceCluster("again, throttled", 104_857_600L)); // pending to the end
        s.add(id, s.on(id).changeClientAuthentication("TLS")); // rejected: not in one step
        s.add(id, s.on(id).createUser("legacy-app", List.of())); // rejected: NONE names no client
        s.add(id, s.on(id).changeClientAuthentication("OPTIONAL"));
        s.add(id, s.on(id).createUser("legacy-app", List.of(AclRules.parse("topic:legacy:READ"))));
        s.add(id, s.on(id).changeClientAuthentication("NONE")); // rejected: a user would lose its ACLs
        s.add(id, s.on(id).deleteUser("legacy-app"));
        s.add(id, s.on(id).changeClientAuthentication("NONE"));
        s.add(id, s.on(id).setMaintenanceWindows(List.of("Mon-Fri 02:00-05:00")));
        s.add(id, s.on(id).setMaintenanceWindows(List.of("Mon-Fri 02:00-05:00"))); // rejected: no change
        s.add(id, s.on(id).observation("exec-1", new OperationDeferred("RollingRestart", null, Instant.parse("2026-12-07T02:00:00Z"))));
        Command replace = s.on(id).replaceClusterCa("key copied to a laptop that was lost");
        s.add(id, replace);
        String ca = "ReplaceClusterCa/" + replace.getCommandId();
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(ca, "ReplaceClusterCa", OperationState.RUNNING, replace.getCommandId(), null)));
        s.add(id, s.on(id).replaceClusterCa(null)); // rejected: operation in progress
        s.add(id, s.on(id).observation("exec-1", new CaObserved("AB:CD", Instant.parse("2031-12-06T00:00:00Z"),
                List.of("AB:CD", "01:02"))));
        s.add(id, s.on(id).observation("exec-1", new OperationObserved(ca, "ReplaceClusterCa", OperationState.SUCCEEDED, replace.getCommandId(), null)));
    }
}
