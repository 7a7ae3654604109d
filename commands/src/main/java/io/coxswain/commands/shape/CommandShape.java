package io.coxswain.commands.shape;

import io.coxswain.avro.command.AbandonOperation;
import io.coxswain.avro.command.CancelConsumerGroupOffsetReset;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.CreateTopic;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.DeleteConnector;
import io.coxswain.avro.command.DeleteUser;
import io.coxswain.avro.command.DeleteTopic;
import io.coxswain.avro.command.ExpandStorage;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.RemoveComponent;
import io.coxswain.avro.command.ResetConnectorOffsets;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.avro.command.ReplaceClusterCa;
import io.coxswain.avro.command.RestartCluster;
import io.coxswain.avro.command.RestartConnector;
import io.coxswain.avro.command.RotateUserPassword;
import io.coxswain.avro.command.RetryOperation;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.SetClusterLabels;
import io.coxswain.avro.command.SetComponent;
import io.coxswain.avro.command.SetConnector;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.avro.command.UpdateBrokerConfig;
import io.coxswain.avro.command.UpdateResources;
import io.coxswain.avro.command.UpdateTopicConfig;
import io.coxswain.avro.command.UpdateUserAcls;
import io.coxswain.avro.command.UpdateUserQuotas;
import io.coxswain.avro.command.UpgradeKafka;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Shape checks that need nothing but the command itself: the same rules fail a builder before
 * anything is sent, answer a gateway request with a 400 naming the field, and make DECIDE reject a
 * malformed command that a service produced straight to the topic.
 */
public final class CommandShape {

    public static final int MAX_CLUSTER_ID_LENGTH = 40;
    public static final int MAX_BROKERS = 100;
    public static final int MAX_PARTITIONS = 10_000;
    public static final Set<Integer> CONTROLLER_COUNTS = Set.of(1, 3, 5);
    /** What a {@code RestartCluster} may roll: the components' names as {@code status.components} has them, or both. */
    public static final List<String> RESTART_COMPONENTS = List.of("brokers", "controllers", "all");
    public static final int MAX_REASON_LENGTH = 500;
    /**
     * Namespaces Kubernetes keeps for itself: no cluster may be created under one of these ids, nor under any beginning
     * with {@link #KUBERNETES_NAMESPACE_PREFIX}. With the default namespace template {@code {cluster}} its objects, Secrets
     * holding its keys among them, would go into that namespace beside Kubernetes' own.
     */
    public static final Set<String> KUBERNETES_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");
    public static final String KUBERNETES_NAMESPACE_PREFIX = "kube-";
    private static final int MAX_OPERATION_ID_LENGTH = 300;

    private static final Pattern RELEASE = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,198}[a-z0-9])?(:[0-9]{1,5}/[a-z0-9._/-]+)?");

    /**
     * Broker settings Coxswain derives from the cluster's shape; a user setting them would break
     * the quorum, the listeners or the storage layout.
     */
    public static final Set<String> MANAGED_BROKER_KEYS = Set.of(
            "node.id", "broker.id", "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "listener.security.protocol.map", "controller.listener.names",
            "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir", "broker.rack");

    private CommandShape() {
    }

    public static List<Violation> check(Command command) {
        List<Violation> v = new ArrayList<>();
        if (!Names.isId(command.getCommandId())) {
            v.add(new Violation("commandId", "must be 1-128 characters of letters, digits and ._:@/-"));
        }
        checkClusterId(command.getClusterId(), v);
        if (command.getIssuer() == null || command.getIssuer().isBlank()) {
            v.add(new Violation("issuer", "must not be empty"));
        }
        if (command.getExpectedVersion() != null && command.getExpectedVersion() < 0) {
            v.add(new Violation("expectedVersion", "must be 0 or more, got " + command.getExpectedVersion()));
        }
        if (command.getUnchangedSinceVersion() != null && command.getUnchangedSinceVersion() < 0) {
            v.add(new Violation("unchangedSinceVersion", "must be 0 or more, got " + command.getUnchangedSinceVersion()));
        }
        Object p = command.getPayload();
        if (p == null) {
            v.add(new Violation("payload", "is required"));
        } else if (p instanceof CreateCluster c) {
            checkNewClusterId(command.getClusterId(), v);
            checkCreate(c, v);
        } else if (p instanceof ScaleBrokers s) {
            checkBrokers(s.getBrokers(), "payload.brokers", v);
        } else if (p instanceof UpgradeKafka u) {
            checkVersion(u.getKafkaVersion(), "payload.kafkaVersion", v);
        } else if (p instanceof UpdateBrokerConfig u) {
            checkConfigChange(u.getSet(), u.getRemove(), v);
            checkNotManaged(u.getSet().keySet(), "payload.set", v);
            checkNotManaged(u.getRemove(), "payload.remove", v);
        } else if (p instanceof CreateTopic t) {
            checkTopicName(t.getName(), v);
            checkPartitions(t.getPartitions(), v);
            checkReplicationFactor(t.getReplicationFactor(), v);
            checkConfigKeys(t.getConfig().keySet(), "payload.config", v);
        } else if (p instanceof UpdateTopicConfig t) {
            checkTopicName(t.getName(), v);
            checkConfigChange(t.getSet(), t.getRemove(), v);
        } else if (p instanceof IncreasePartitions t) {
            checkTopicName(t.getName(), v);
            checkPartitions(t.getPartitions(), v);
        } else if (p instanceof ChangeReplicationFactor t) {
            checkTopicName(t.getName(), v);
            checkReplicationFactor(t.getReplicationFactor(), v);
        } else if (p instanceof DeleteTopic t) {
            checkTopicName(t.getName(), v);
        } else if (p instanceof RetryOperation r) {
            checkOperationId(r.getOperationId(), v);
            checkReason(r.getReason(), v);
        } else if (p instanceof AbandonOperation a) {
            checkOperationId(a.getOperationId(), v);
            checkReason(a.getReason(), v);
        } else if (p instanceof RestartCluster r) {
            if (!RESTART_COMPONENTS.contains(r.getComponent())) {
                v.add(new Violation("payload.component", "must be one of " + String.join(", ", RESTART_COMPONENTS) + ", got '" + r.getComponent() + "'"));
            }
            checkReason(r.getReason(), v);
        } else if (p instanceof SetComponent c) {
            checkComponent(c, v);
            PlatformComponent.checkSecrets(command.getClusterId(), c.getSecrets(), "payload.secrets", v);
        } else if (p instanceof RemoveComponent r) {
            checkComponentName(r.getComponent(), v);
        } else if (p instanceof CreateUser u) {
            UserShape.checkName(u.getName(), v);
            UserShape.checkAcls(u.getAcls(), v);
            UserShape.checkQuotas(u.getQuotas(), v);
            UserShape.checkAuthentication(u.getAuthentication(), v);
        } else if (p instanceof UpdateUserQuotas u) {
            UserShape.checkName(u.getName(), v);
            UserShape.checkQuotas(u.getQuotas(), v);
        } else if (p instanceof UpdateUserAcls u) {
            UserShape.checkName(u.getName(), v);
            UserShape.checkAcls(u.getAcls(), v);
        } else if (p instanceof DeleteUser u) {
            UserShape.checkName(u.getName(), v);
        } else if (p instanceof SetClusterLabels l) {
            ClusterLabels.check(l.getLabels(), "payload.labels", v);
        } else if (p instanceof RotateUserPassword r) {
            UserShape.checkName(r.getName(), v);
            checkReason(r.getReason(), v);
        } else if (p instanceof UpdateResources u) {
            ResourceShape.checkUpdate(u, v);
        } else if (p instanceof ExpandStorage e) {
            StorageShape.checkSize(e.getSize(), "payload.size", v);
        } else if (p instanceof ChangeClientAuthentication a) {
            if (!UserShape.CLIENT_AUTHENTICATIONS.contains(a.getClientAuthentication())) {
                v.add(new Violation("payload.clientAuthentication", "must be one of " + String.join(", ", UserShape.CLIENT_AUTHENTICATIONS)
                        + ", got '" + a.getClientAuthentication() + "'"));
            }
        } else if (p instanceof SetMaintenanceWindows w) {
            MaintenanceWindow.check(w.getWindows(), "payload.windows", v);
        } else if (p instanceof ReplaceClusterCa r) {
            checkReason(r.getReason(), v);
        } else if (p instanceof RebalanceCluster r) {
            checkReason(r.getReason(), v);
            ThrottleShape.check(r.getThrottleBytesPerSecond(), "payload.throttleBytesPerSecond", v);
        } else if (p instanceof SetConnector c) {
            ConnectorShape.checkName(c.getName(), v);
            ConnectorShape.checkSet(c.getConnectorClass(), c.getTasksMax(), c.getConfig(), v);
        } else if (p instanceof DeleteConnector c) {
            ConnectorShape.checkName(c.getName(), v);
        } else if (p instanceof io.coxswain.avro.command.SetMirror m) {
            MirrorShape.checkSet(m, v);
        } else if (p instanceof io.coxswain.avro.command.DeleteMirror m) {
            MirrorShape.checkName(m.getName(), v);
        } else if (p instanceof io.coxswain.avro.command.RestartMirror m) {
            MirrorShape.checkName(m.getName(), v);
            checkReason(m.getReason(), v);
        } else if (p instanceof RestartConnector r) {
            ConnectorShape.checkName(r.getName(), v);
            checkReason(r.getReason(), v);
        } else if (p instanceof ResetConnectorOffsets r) {
            ConnectorShape.checkName(r.getName(), v);
            checkReason(r.getReason(), v);
        } else if (p instanceof ResetConsumerGroupOffsets r) {
            OffsetResetShape.check(r, v);
            checkReason(r.getReason(), v);
        } else if (p instanceof CancelConsumerGroupOffsetReset r) {
            OffsetResetShape.checkGroup(r.getGroup(), v);
            checkReason(r.getReason(), v);
        } else if (p instanceof io.coxswain.avro.command.SetApprovalPolicy a) {
            ApprovalShape.checkPolicy(a, "payload", v);
        } else if (p instanceof io.coxswain.avro.command.ApproveCommand a) {
            ApprovalShape.checkProposalId(a.getCommandId(), v);
        } else if (p instanceof io.coxswain.avro.command.RejectProposal r) {
            ApprovalShape.checkRejection(r, v);
            checkReason(r.getReason(), v);
        } else if (p instanceof io.coxswain.avro.command.WithdrawProposal w) {
            ApprovalShape.checkProposalId(w.getCommandId(), v);
            checkReason(w.getReason(), v);
        } else if (p instanceof RecordObservation o) {
            if (o.getObserver() == null || o.getObserver().isBlank()) {
                v.add(new Violation("payload.observer", "must not be empty"));
            }
        }
        return v;
    }

    /** Throws {@link InvalidCommandException} listing every violation. */
    public static Command requireValid(Command command) {
        List<Violation> v = check(command);
        if (!v.isEmpty()) {
            throw new InvalidCommandException(v);
        }
        return command;
    }

    public static void checkClusterId(String id, List<Violation> v) {
        if (id == null || id.isEmpty()) {
            v.add(new Violation("clusterId", "is required"));
        } else if (id.length() > MAX_CLUSTER_ID_LENGTH || !Names.isDnsLabel(id)) {
            v.add(new Violation("clusterId", "must be a DNS-1123 label of at most " + MAX_CLUSTER_ID_LENGTH
                    + " characters (lower-case letters, digits and '-', starting and ending with a letter or digit), got '" + id + "'"));
        }
    }

    /**
     * A new cluster's id must not name a namespace Kubernetes keeps for itself. At creation only: any other command on
     * such a cluster, made before this rule, is still taken (DeleteCluster among them).
     */
    static void checkNewClusterId(String id, List<Violation> v) {
        if (id != null && (KUBERNETES_NAMESPACES.contains(id) || id.startsWith(KUBERNETES_NAMESPACE_PREFIX))) {
            v.add(new Violation("clusterId", "'" + id + "' is a namespace Kubernetes keeps for itself (default, kube-*): with the"
                    + " default namespace template {cluster} the cluster's pods and the Secrets holding its keys would be made there,"
                    + " beside Kubernetes' own; choose another id"));
        }
    }

    private static void checkCreate(CreateCluster c, List<Violation> v) {
        checkVersion(c.getKafkaVersion(), "payload.kafkaVersion", v);
        ClusterLabels.check(c.getLabels(), "payload.labels", v);
        if (!CONTROLLER_COUNTS.contains(c.getControllers())) {
            v.add(new Violation("payload.controllers", "must be 1, 3 or 5 (a KRaft quorum needs an odd size), got " + c.getControllers()));
        }
        checkBrokers(c.getBrokers(), "payload.brokers", v);
        StorageShape.checkSize(c.getStorage() == null ? null : c.getStorage().getSize(), "payload.storage.size", v);
        checkConfigKeys(c.getBrokerConfig().keySet(), "payload.brokerConfig", v);
        checkNotManaged(c.getBrokerConfig().keySet(), "payload.brokerConfig", v);
        if (c.getApprovalPolicy() != null) {
            ApprovalShape.checkPolicy(c.getApprovalPolicy(), "payload.approvalPolicy", v);
        }
        if (c.getResources() != null) {
            if (c.getResources().getControllers() != null) {
                ResourceShape.checkCreate(c.getResources().getControllers(), "payload.resources.controllers.", v);
            }
            if (c.getResources().getBrokers() != null) {
                ResourceShape.checkCreate(c.getResources().getBrokers(), "payload.resources.brokers.", v);
            }
        }
    }

    private static void checkBrokers(int brokers, String field, List<Violation> v) {
        if (brokers < 1 || brokers > MAX_BROKERS) {
            v.add(new Violation(field, "must be between 1 and " + MAX_BROKERS + ", got " + brokers));
        }
    }

    private static void checkVersion(String version, String field, List<Violation> v) {
        KafkaVersion.parse(version).ifPresentOrElse(kv -> {
            if (kv.compareTo(KafkaVersion.OLDEST_SUPPORTED) < 0) {
                v.add(new Violation(field, "Kafka " + kv + " is older than " + KafkaVersion.OLDEST_SUPPORTED + ", the oldest release that runs without ZooKeeper"));
            }
        }, () -> v.add(new Violation(field, "must be a Kafka release number like 4.1.0, got '" + version + "'")));
    }

    private static void checkComponent(SetComponent c, List<Violation> v) {
        Optional<PlatformComponent> component = checkComponentName(c.getComponent(), v);
        if (c.getReplicas() < 1 || c.getReplicas() > PlatformComponent.MAX_REPLICAS) {
            v.add(new Violation("payload.replicas", "must be between 1 and " + PlatformComponent.MAX_REPLICAS
                    + ", got " + c.getReplicas() + " (RemoveComponent stops a component)"));
        }
        if (c.getVersion() != null && !RELEASE.matcher(c.getVersion()).matches()) {
            v.add(new Violation("payload.version", "must be a Confluent Platform release like " + PlatformComponent.DEFAULT_VERSION
                    + ", got '" + c.getVersion() + "'"));
        }
        if (c.getImage() != null && !IMAGE.matcher(c.getImage()).matches()) {
            v.add(new Violation("payload.image", "must be an image repository without a tag, like confluentinc/cp-schema-registry"
                    + " (the tag is the version), got '" + c.getImage() + "'"));
        }
        checkConfigKeys(c.getConfig().keySet(), "payload.config", v);
        component.ifPresent(pc -> c.getConfig().keySet().stream().filter(pc.managedKeys()::contains).sorted().findFirst()
                .ifPresent(k -> v.add(new Violation("payload.config", "'" + k + "' is managed by Coxswain for " + pc.componentName()
                        + " (it wires the component to its cluster and its peers) and cannot be set"))));
    }

    private static Optional<PlatformComponent> checkComponentName(String name, List<Violation> v) {
        Optional<PlatformComponent> component = PlatformComponent.named(name);
        if (component.isEmpty()) {
            v.add(new Violation("payload.component", "must be one of " + String.join(", ", PlatformComponent.names()) + ", got '" + name + "'"));
        }
        return component;
    }

    private static void checkOperationId(String id, List<Violation> v) {
        if (id == null || id.isBlank() || id.length() > MAX_OPERATION_ID_LENGTH) {
            v.add(new Violation("payload.operationId", "must name an operation as status.operation.operationId shows it (1-"
                    + MAX_OPERATION_ID_LENGTH + " characters), got '" + id + "'"));
        }
    }

    private static void checkReason(String reason, List<Violation> v) {
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            v.add(new Violation("payload.reason", "must be at most " + MAX_REASON_LENGTH + " characters, got " + reason.length()));
        }
    }

    private static void checkTopicName(String name, List<Violation> v) {
        if (!Names.isTopicName(name) || name.equals(".") || name.equals("..")) {
            v.add(new Violation("payload.name", "must be a Kafka topic name: 1-249 characters of letters, digits, '.', '_' and '-', got '" + name + "'"));
        }
    }

    /** A topic's partition count, as created or as raised to: the same bound, so no increase reaches a count no create could. */
    private static void checkPartitions(int partitions, List<Violation> v) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            v.add(new Violation("payload.partitions", "must be between 1 and " + MAX_PARTITIONS + ", got " + partitions));
        }
    }

    /** A topic's replication factor, as created or as changed to: one bound, so no change reaches a factor no create could. */
    private static void checkReplicationFactor(int replicationFactor, List<Violation> v) {
        if (replicationFactor < 1 || replicationFactor > MAX_BROKERS) {
            v.add(new Violation("payload.replicationFactor", "must be between 1 and " + MAX_BROKERS + ", got " + replicationFactor));
        }
    }

    private static void checkConfigChange(Map<String, String> set, List<String> remove, List<Violation> v) {
        if (set.isEmpty() && remove.isEmpty()) {
            v.add(new Violation("payload.set", "set or remove at least one key"));
        }
        checkConfigKeys(set.keySet(), "payload.set", v);
        checkConfigKeys(remove, "payload.remove", v);
        for (String k : remove) {
            if (set.containsKey(k)) {
                v.add(new Violation("payload.remove", "key '" + k + "' is both set and removed"));
                break;
            }
        }
    }

    private static void checkConfigKeys(Collection<String> keys, String field, List<Violation> v) {
        for (String k : keys) {
            if (!Names.isConfigKey(k)) {
                v.add(new Violation(field, "'" + k + "' is not a Kafka configuration key"));
                return;
            }
        }
    }

    private static void checkNotManaged(Collection<String> keys, String field, List<Violation> v) {
        String first = null; // the alphabetically first, so the message does not depend on map order
        for (String k : keys) {
            if (MANAGED_BROKER_KEYS.contains(k) && (first == null || k.compareTo(first) < 0)) {
                first = k;
            }
        }
        if (first != null) {
            v.add(new Violation(field, "'" + first + "' is managed by Coxswain from the cluster's shape and cannot be set"));
        }
    }
}
