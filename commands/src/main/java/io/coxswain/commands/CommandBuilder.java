package io.coxswain.commands;

import io.coxswain.avro.command.AbandonOperation;
import io.coxswain.avro.command.AclRule;
import io.coxswain.avro.command.CancelConsumerGroupOffsetReset;
import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.CreateTopic;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.DeleteCluster;
import io.coxswain.avro.command.DeleteConnector;
import io.coxswain.avro.command.DeleteMirror;
import io.coxswain.avro.command.DeleteTopic;
import io.coxswain.avro.command.DeleteUser;
import io.coxswain.avro.command.ExpandStorage;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.PauseReconciliation;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.RemoveComponent;
import io.coxswain.avro.command.ReplaceClusterCa;
import io.coxswain.avro.command.ResetConnectorOffsets;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import io.coxswain.avro.command.RestartCluster;
import io.coxswain.avro.command.RestartConnector;
import io.coxswain.avro.command.RestartMirror;
import io.coxswain.avro.command.ResumeReconciliation;
import io.coxswain.avro.command.RetryOperation;
import io.coxswain.avro.command.RotateUserPassword;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.SetClusterLabels;
import io.coxswain.avro.command.SetComponent;
import io.coxswain.avro.command.SetConnector;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UpdateBrokerConfig;
import io.coxswain.avro.command.UpdateResources;
import io.coxswain.avro.command.UpdateTopicConfig;
import io.coxswain.avro.command.UpdateUserAcls;
import io.coxswain.avro.command.UpdateUserQuotas;
import io.coxswain.avro.command.UpgradeKafka;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.commands.shape.CommandShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Typed construction of commands for one cluster. Envelope fields first, then one terminal method
 * per command type; every terminal method runs the {@link CommandShape shape checks} and throws
 * {@link io.coxswain.commands.shape.InvalidCommandException} before anything can be sent.
 *
 * <pre>{@code
 * Command c = Commands.on("payments").issuer("billing-svc").createCluster("4.1.0", 3, 3, "100Gi");
 * }</pre>
 */
public final class CommandBuilder {

    private final String clusterId;
    private String commandId = UUID.randomUUID().toString();
    private String issuer = System.getProperty("user.name", "unknown");
    private Long expectedVersion;
    private Long unchangedSinceVersion;
    private Instant issuedAt;

    CommandBuilder(String clusterId) {
        this.clusterId = clusterId;
    }

    public CommandBuilder commandId(String commandId) {
        this.commandId = commandId;
        return this;
    }

    public CommandBuilder issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public CommandBuilder expectedVersion(long expectedVersion) {
        this.expectedVersion = expectedVersion;
        return this;
    }

    /**
     * Refused if someone changed the cluster (any accepted command but an observation) after {@code version}:
     * a read-modify-write that what the executor records meanwhile does not refuse, as {@link #expectedVersion} does.
     */
    public CommandBuilder unchangedSince(long version) {
        this.unchangedSinceVersion = version;
        return this;
    }

    public CommandBuilder issuedAt(Instant issuedAt) {
        this.issuedAt = issuedAt;
        return this;
    }

    public Command createCluster(String kafkaVersion, int controllers, int brokers, String storageSize) {
        return createCluster(CreateCluster.newBuilder()
                .setKafkaVersion(kafkaVersion).setControllers(controllers).setBrokers(brokers)
                .setStorage(StorageRequest.newBuilder().setSize(storageSize).build())
                .build());
    }

    public Command createCluster(CreateCluster payload) {
        return payload(payload);
    }

    public Command scaleBrokers(int brokers) {
        return payload(ScaleBrokers.newBuilder().setBrokers(brokers).build());
    }

    public Command upgradeKafka(String kafkaVersion) {
        return upgradeKafka(kafkaVersion, false);
    }

    public Command upgradeKafka(String kafkaVersion, boolean allowDowngrade) {
        return payload(UpgradeKafka.newBuilder().setKafkaVersion(kafkaVersion).setAllowDowngrade(allowDowngrade).build());
    }

    public Command updateBrokerConfig(Map<String, String> set, List<String> remove) {
        return payload(UpdateBrokerConfig.newBuilder().setSet(new HashMap<>(set)).setRemove(new ArrayList<>(remove)).build());
    }

    public Command createTopic(String name, int partitions, int replicationFactor, Map<String, String> config) {
        return payload(CreateTopic.newBuilder().setName(name).setPartitions(partitions)
                .setReplicationFactor(replicationFactor).setConfig(new HashMap<>(config)).build());
    }

    public Command updateTopicConfig(String name, Map<String, String> set, List<String> remove) {
        return payload(UpdateTopicConfig.newBuilder().setName(name).setSet(new HashMap<>(set)).setRemove(new ArrayList<>(remove)).build());
    }

    /**
     * Raises a topic's partition count to {@code partitions}, the new total. Kafka cannot lower it
     * again, and a key's partition changes with the count.
     */
    public Command increasePartitions(String name, int partitions) {
        return payload(IncreasePartitions.newBuilder().setName(name).setPartitions(partitions).build());
    }

    /**
     * Changes a topic's replication factor to {@code replicationFactor}: up to spread its partitions
     * over more brokers, down to make room for a scale-in. The executor moves the replicas.
     */
    public Command changeReplicationFactor(String name, int replicationFactor) {
        return payload(ChangeReplicationFactor.newBuilder().setName(name).setReplicationFactor(replicationFactor).build());
    }

    public Command deleteTopic(String name) {
        return payload(DeleteTopic.newBuilder().setName(name).build());
    }

    public Command pause(String reason) {
        return payload(PauseReconciliation.newBuilder().setReason(reason).build());
    }

    public Command resume() {
        return payload(ResumeReconciliation.newBuilder().build());
    }

    public Command deleteCluster(boolean deleteVolumes) {
        return payload(DeleteCluster.newBuilder().setDeleteVolumes(deleteVolumes).build());
    }

    /** Resume a FAILED operation at its failed step; {@code reason} (may be null) is kept in the log. */
    public Command retryOperation(String operationId, String reason) {
        return payload(RetryOperation.newBuilder().setOperationId(operationId).setReason(reason).build());
    }

    /** Stop a FAILED or stuck RUNNING operation for good. */
    public Command abandonOperation(String operationId, String reason) {
        return payload(AbandonOperation.newBuilder().setOperationId(operationId).setReason(reason).build());
    }

    /** A manual rolling restart of {@code component}: brokers, controllers or all. */
    public Command restartCluster(String component, String reason) {
        return payload(RestartCluster.newBuilder().setComponent(component).setReason(reason).build());
    }

    /**
     * Runs a platform component beside the cluster, or changes it: {@code version} and {@code image}
     * may be null (keep what runs, or the catalog's defaults); {@code config} replaces the previous set.
     */
    public Command setComponent(String component, int replicas, String version, String image, Map<String, String> config) {
        return setComponent(component, replicas, version, image, config, List.of());
    }

    /** @param secrets Kubernetes Secrets of the cluster's namespace mounted in every pod at /mnt/secrets/&lt;name&gt;, for config providers */
    public Command setComponent(String component, int replicas, String version, String image, Map<String, String> config,
                                List<String> secrets) {
        return payload(SetComponent.newBuilder().setComponent(component).setReplicas(replicas).setVersion(version).setImage(image)
                .setConfig(new java.util.TreeMap<>(config)).setSecrets(new ArrayList<>(secrets)).build());
    }

    public Command removeComponent(String component) {
        return payload(RemoveComponent.newBuilder().setComponent(component).build());
    }

    /**
     * An application identity on a cluster with clientAuthentication OPTIONAL or TLS: Coxswain issues it
     * a client certificate (Secret {@code <cluster>-user-<name>}) and applies {@code acls} to {@code User:<name>}.
     */
    public Command createUser(String name, List<AclRule> acls) {
        return payload(CreateUser.newBuilder().setName(name).setAcls(new ArrayList<>(acls)).build());
    }

    /** Replaces the whole ACL list of a user. */
    public Command updateUserAcls(String name, List<AclRule> acls) {
        return payload(UpdateUserAcls.newBuilder().setName(name).setAcls(new ArrayList<>(acls)).build());
    }

    /** The same, with Kafka client quotas for the user (null: none). */
    public Command createUser(String name, List<AclRule> acls, UserQuotas quotas) {
        return payload(CreateUser.newBuilder().setName(name).setAcls(new ArrayList<>(acls)).setQuotas(quotas).build());
    }

    /**
     * A user with its own authentication: {@link io.coxswain.commands.shape.UserShape#TLS_USER} (a client
     * certificate) or {@link io.coxswain.commands.shape.UserShape#SCRAM_SHA_512} (a password); quotas may be null.
     */
    public Command createUser(String name, List<AclRule> acls, UserQuotas quotas, String authentication) {
        return payload(CreateUser.newBuilder().setName(name).setAcls(new ArrayList<>(acls)).setQuotas(quotas).setAuthentication(authentication).build());
    }

    /** Replaces the whole set of a user's quotas; null leaves it unthrottled. */
    public Command updateUserQuotas(String name, UserQuotas quotas) {
        return payload(UpdateUserQuotas.newBuilder().setName(name).setQuotas(quotas).build());
    }

    /** Removes a user: its ACLs and its certificate Secret. */
    public Command deleteUser(String name) {
        return payload(DeleteUser.newBuilder().setName(name).build());
    }

    /** The cluster's labels become exactly {@code labels} (none: no labels), on its Kubernetes objects too; nothing on Kafka changes. */
    public Command setClusterLabels(Map<String, String> labels) {
        return payload(SetClusterLabels.newBuilder().setLabels(new TreeMap<>(labels)).build());
    }

    /** A new password for SCRAM user {@code name}, the old one refused once it is set; {@code reason} for the audit trail. */
    public Command rotateUserPassword(String name, String reason) {
        return payload(RotateUserPassword.newBuilder().setName(name).setReason(reason).build());
    }

    /**
     * Resizes the pods of {@code role} (brokers or controllers); a null value keeps the current one.
     * Running pods roll one at a time.
     */
    public Command updateResources(String role, String cpuRequest, String cpuLimit, String memory, String heap) {
        return payload(UpdateResources.newBuilder().setRole(role).setCpuRequest(cpuRequest).setCpuLimit(cpuLimit)
                .setMemory(memory).setHeap(heap).build());
    }

    /**
     * Grows the data volume of every controller and broker, and of those made later, to {@code size}
     * (a Kubernetes quantity, e.g. {@code 200Gi}). Volumes never shrink, and their storage class must
     * allow expansion; no pod restarts.
     */
    public Command expandStorage(String size) {
        return payload(ExpandStorage.newBuilder().setSize(size).build());
    }

    /**
     * Spreads the replicas and preferred leaders of every topic evenly over the cluster's brokers, as
     * an operation of its own; {@code throttleBytesPerSecond} null takes the installation's throttle.
     */
    public Command rebalanceCluster(String reason, Long throttleBytesPerSecond) {
        return payload(RebalanceCluster.newBuilder().setReason(reason).setThrottleBytesPerSecond(throttleBytesPerSecond).build());
    }

    /**
     * Moves a running cluster one step between clientAuthentication NONE, OPTIONAL and TLS; its
     * controllers and brokers roll to the new setting.
     */
    public Command changeClientAuthentication(String clientAuthentication) {
        return payload(ChangeClientAuthentication.newBuilder().setClientAuthentication(clientAuthentication).build());
    }

    /** Replace the cluster CA with one of a new key, then trust the old one nowhere; {@code reason} for the audit trail. */
    public Command replaceClusterCa(String reason) {
        return payload(ReplaceClusterCa.newBuilder().setReason(reason).build());
    }

    /**
     * When operations that restart pods or move data may start on the cluster ({@link
     * io.coxswain.commands.shape.MaintenanceWindow}'s form, UTC); none: any time.
     */
    public Command setMaintenanceWindows(List<String> windows) {
        return payload(SetMaintenanceWindows.newBuilder().setWindows(new ArrayList<>(windows)).build());
    }

    /** Runs the connector on the cluster's connect component, or gives it this configuration and state. */
    public Command setConnector(String name, String connectorClass, int tasksMax, Map<String, String> config, ConnectorState state) {
        return payload(new SetConnector(name, connectorClass, tasksMax, new TreeMap<>(config), state));
    }

    public Command setConnector(String name, String connectorClass, int tasksMax, Map<String, String> config) {
        return setConnector(name, connectorClass, tasksMax, config, ConnectorState.RUNNING);
    }

    public Command deleteConnector(String name) {
        return payload(new DeleteConnector(name));
    }

    /** Mirrors topics of {@code sourceCluster} into this cluster, with MirrorMaker 2 on its connect component; see {@link SetMirror}. */
    public Command setMirror(SetMirror mirror) {
        return payload(SetMirror.newBuilder(mirror).build());
    }

    /** A mirror with the defaults: every topic, no groups, prefixed names, RUNNING. */
    public Command setMirror(String name, String sourceCluster, List<String> topics) {
        return setMirror(SetMirror.newBuilder().setName(name).setSourceCluster(sourceCluster).setTopics(new ArrayList<>(topics)).build());
    }

    public Command deleteMirror(String name) {
        return payload(new DeleteMirror(name));
    }

    /** @param onlyFailed restart only the mirror's connectors or tasks that FAILED (the usual case), else all of them */
    public Command restartMirror(String name, boolean onlyFailed, String reason) {
        return payload(new RestartMirror(name, onlyFailed, reason));
    }

    /** @param onlyFailed restart only the connector or tasks that FAILED (the usual case), else all of them */
    public Command restartConnector(String name, boolean onlyFailed, String reason) {
        return payload(new RestartConnector(name, onlyFailed, reason));
    }

    /** Erase a STOPPED connector's offsets: a source reads from the start again, a sink's group starts at its auto.offset.reset. */
    public Command resetConnectorOffsets(String name, String reason) {
        return payload(new ResetConnectorOffsets(name, reason));
    }

    /** Reset a consumer group's committed offsets; {@code topics} empty: every topic it has offsets on. See {@link OffsetResetTarget}. */
    public Command resetConsumerGroupOffsets(String group, List<String> topics, OffsetResetTarget to, Instant datetime, Long shiftBy, String reason) {
        return payload(ResetConsumerGroupOffsets.newBuilder().setGroup(group).setTopics(List.copyOf(topics)).setTo(to).setDatetime(datetime)
                .setShiftBy(shiftBy).setReason(reason).build());
    }

    /** Withdraw the group's pending reset, while the executor has not planned it yet. */
    public Command cancelConsumerGroupOffsetReset(String group, String reason) {
        return payload(new CancelConsumerGroupOffsetReset(group, reason));
    }

    /** The cluster's four-eyes policy: each rule's command types wait for that many approvals by others; no rules: no policy. */
    public Command setApprovalPolicy(List<io.coxswain.avro.command.ApprovalRule> rules, int expiresAfterHours) {
        return payload(new io.coxswain.avro.command.SetApprovalPolicy(List.copyOf(rules), expiresAfterHours));
    }

    /** Approve the pending proposal of command {@code proposedCommandId}. */
    public Command approve(String proposedCommandId) {
        return payload(new io.coxswain.avro.command.ApproveCommand(proposedCommandId));
    }

    /** Veto the pending proposal of command {@code proposedCommandId}. */
    public Command rejectProposal(String proposedCommandId, String reason) {
        return payload(new io.coxswain.avro.command.RejectProposal(proposedCommandId, reason));
    }

    /** Take back one's own pending proposal. */
    public Command withdrawProposal(String proposedCommandId, String reason) {
        return payload(new io.coxswain.avro.command.WithdrawProposal(proposedCommandId, reason));
    }

    /** An executor's report; {@code observation} is one of the observation records in the schema. */
    public Command observation(String observer, Object observation) {
        return payload(RecordObservation.newBuilder().setObserver(observer).setObservation(observation).build());
    }

    /** Any payload record of the {@code Command} schema's union. */
    public Command payload(Object payload) {
        Command command = Command.newBuilder()
                .setCommandId(commandId)
                .setClusterId(clusterId)
                .setExpectedVersion(expectedVersion)
                .setUnchangedSinceVersion(unchangedSinceVersion)
                .setIssuer(issuer)
                .setIssuedAt(issuedAt != null ? issuedAt : Instant.ofEpochMilli(System.currentTimeMillis()))
                .setPayload(payload)
                .build();
        return CommandShape.requireValid(command);
    }
}
