package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.SchemaIdentity;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.wire.WireFormat;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.orchestrator.topology.Codecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A long, varied, deterministic command log: every command and observation type, rejections of every
 * kind the rules know (conflicts, paused, deleting, downgrade, too high replication, ...), duplicate
 * command ids, commands keyed elsewhere, invalid commands that skipped the builder, records written by
 * older schema versions and in all three wire forms, and poison records of every kind.
 */
final class VariedLog {

    static final List<String> POISON_KINDS = List.of("garbage", "unknown-magic", "empty", "tombstone", "unknown-schema-id",
            "truncated-id", "unknown-guid", "body-mismatch", "trailing-bytes", "wrong-record-type");
    private static final String[] VERSIONS = {"3.8.0", "3.9.1", "4.0.0", "4.1.0", "4.1.1"};

    private final Random random;
    private final Codecs codecs;
    private final List<Writer> writers = new ArrayList<>();
    private final List<AuditFixture.Raw> out = new ArrayList<>();
    private final long baseMillis;
    private final Map<String, String> lastUpgrade = new java.util.HashMap<>();

    /** A writer schema registered under the command subject, and how to address it. */
    record Writer(Schema schema, int id) {
    }

    /** @param writerSchemas every writer schema to use, each registered under the command subject */
    VariedLog(long seed, Codecs codecs, SchemaRegistry registry, List<Schema> writerSchemas, long baseMillis) {
        this.random = new Random(seed);
        this.codecs = codecs;
        this.baseMillis = baseMillis;
        for (Schema s : writerSchemas) {
            writers.add(new Writer(s, registry.lookup(codecs.commands().subject(), s).orElseThrow().id()));
        }
    }

    List<AuditFixture.Raw> records() {
        return out;
    }

    /** One scripted cluster that goes through every type once, then {@code n} random records over {@code clusters}. */
    VariedLog generate(int clusters, int n) {
        script("c-script");
        users("c-users");
        ScriptedClusters.approvals(script, "c-approvals");
        for (String kind : POISON_KINDS) {
            poison(kind, "c-script");
        }
        return random(clusters, n);
    }

    /** {@code n} random records over {@code clusters} clusters. */
    VariedLog random(int clusters, int n) {
        for (int i = 0; i < n; i++) {
            String cluster = "c-" + String.format("%03d", random.nextInt(clusters));
            int r = random.nextInt(100);
            if (r < 2) {
                poison(POISON_KINDS.get(random.nextInt(POISON_KINDS.size())), cluster);
            } else if (r < 5 && !out.isEmpty()) {
                AuditFixture.Raw again = out.get(random.nextInt(out.size())); // same bytes again: a duplicate command id
                add(again.key(), again.value(), again.headers());
            } else if (r < 7) {
                Command c = command(cluster);
                add(AuditFixture.Raw.key(random.nextBoolean() ? null : "c-other"), encode(c), null); // keyed elsewhere
            } else if (r < 9) {
                add(cluster, invalid(cluster));
            } else {
                add(cluster, command(cluster));
            }
        }
        return this;
    }

    private void script(String id) {
        add(id, on(id).createCluster("4.0.0", 3, 3, "10Gi"));
        add(id, on(id).observation("exec-1", ComponentObserved.newBuilder().setComponent("controllers").setDesired(3).setReady(3).setVersions(List.of("4.0.0")).build()));
        add(id, on(id).observation("exec-1", ComponentObserved.newBuilder().setComponent("brokers").setDesired(3).setReady(3).setVersions(List.of("4.0.0")).build()));
        add(id, on(id).observation("exec-1", new EndpointObserved(id + "-bootstrap:9092")));
        add(id, on(id).createTopic("orders", 6, 3, Map.of("retention.ms", "1000")));
        add(id, on(id).updateTopicConfig("orders", Map.of("retention.ms", "2000"), List.of()));
        add(id, on(id).increasePartitions("orders", 12));
        add(id, on(id).increasePartitions("orders", 12)); // rejected: no change
        add(id, on(id).increasePartitions("orders", 3)); // rejected: partitions cannot decrease
        add(id, on(id).increasePartitions("invoices", 3)); // rejected: topic not found
        add(id, on(id).changeReplicationFactor("orders", 2));
        add(id, on(id).changeReplicationFactor("orders", 2)); // rejected: no change
        add(id, on(id).changeReplicationFactor("orders", 4)); // rejected: more than the 3 brokers
        add(id, on(id).updateTopicConfig("orders", Map.of("min.insync.replicas", "2"), List.of()));
        add(id, on(id).changeReplicationFactor("orders", 1)); // rejected: not above min.insync.replicas
        add(id, on(id).changeReplicationFactor("invoices", 2)); // rejected: topic not found
        add(id, on(id).changeReplicationFactor("orders", 3));
        add(id, on(id).observation("exec-1", new ReplicationObserved(Map.of("orders", new TopicReplicationObserved(3, 12, 5, 2, null)))));
        add(id, on(id).observation("exec-1", new ReplicationObserved(Map.of())));
        add(id, on(id).createTopic("tmp", 1, 1, Map.of("retention.ms", "abc"))); // accepted: Kafka judges the value
        add(id, on(id).observation("exec-1", new TopicsRefusedObserved(Map.of("tmp", new TopicRefusalObserved(
                "InvalidConfigurationException: Invalid value abc for configuration retention.ms", null),
                "gone", new TopicRefusalObserved("PolicyViolationException: no", null))))); // gone: not a topic of the state
        add(id, on(id).deleteTopic("tmp")); // clears its refusal
        add(id, on(id).observation("exec-1", new TopicsRefusedObserved(Map.of())));
        add(id, on(id).updateBrokerConfig(Map.of("num.io.threads", "16"), List.of()));
        add(id, on(id).scaleBrokers(4));
        Command upgrade = on(id).upgradeKafka("4.1.0");
        add(id, upgrade);
        String op = "op-" + upgrade.getCommandId();
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.RUNNING, upgrade.getCommandId(), null)));
        add(id, on(id).scaleBrokers(5)); // rejected: operation in progress
        add(id, on(id).observation("exec-1", new OperationStepObserved(op, "restart-broker-1", StepState.STARTED, 1, null, 0, 3)));
        add(id, on(id).observation("exec-1", new ResourceActionObserved(ResourceAction.RESTART, "Pod", "kafka", id + "-broker-1",
                "upgrade to 4.1.0", upgrade.getCommandId(), null)));
        add(id, on(id).observation("exec-1", new OperationStepObserved(op, "restart-broker-1", StepState.FINISHED, 1, null, 1, 3)));
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.SUCCEEDED, upgrade.getCommandId(), null)));
        add(id, on(id).observation("exec-1", new ReconciledObserved(30L)));
        add(id, on(id).observation("exec-1", new IntentVersionReplayed(1L))); // rejected: the state has its own, not 1
        add(id, on(id).observation("exec-1", new IntentVersionReplayed(1_000_000L))); // rejected: no such version
        add(id, on(id).unchangedSince(1).scaleBrokers(5)); // rejected: changed since version 1
        add(id, on(id).unchangedSince(100_000).scaleBrokers(5)); // rejected: not at that version yet
        day2(id);
        add(id, on(id).upgradeKafka("4.0.0")); // rejected: downgrade
        add(id, on(id).pause("maintenance"));
        add(id, on(id).scaleBrokers(3)); // rejected: paused
        add(id, on(id).resume());
        add(id, on(id).expectedVersion(1).scaleBrokers(2)); // rejected: version conflict
        add(id, on(id).deleteCluster(true));
        add(id, on(id).scaleBrokers(2)); // rejected: deleting
        add(id, on(id).observation("exec-1", new ClusterRemovedObserved(true)));
        add(id, on(id).createCluster("4.1.0", 1, 1, "1Gi")); // created again after deletion
    }

    /** A manual restart that fails, is retried, fails again and is abandoned; unmanaged topics appear and go. */
    private void day2(String id) {
        Command restart = on(id).restartCluster("brokers", "JVM leak");
        add(id, restart);
        String op = "RollingRestart/" + restart.getCommandId();
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.RUNNING, restart.getCommandId(), null)));
        add(id, on(id).retryOperation(op, null)); // rejected: still running
        add(id, on(id).restartCluster("all", null)); // rejected: operation in progress
        add(id, on(id).observation("exec-1", new OperationStepObserved(op, "restart " + id + "-broker-0", StepState.FAILED, 0, "gave up", 0, 4)));
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "gave up")));
        add(id, on(id).retryOperation(op, "pod fixed"));
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "gave up")));
        add(id, on(id).abandonOperation(op, "tomorrow"));
        add(id, on(id).observation("exec-1", new OperationObserved(op, "RollingRestart", OperationState.FAILED, restart.getCommandId(), "late")));
        add(id, on(id).abandonOperation(op, null)); // rejected: already ended
        add(id, on(id).retryOperation("no-such-op", null)); // rejected: unknown
        add(id, on(id).observation("exec-1", new TopicsObserved(List.of("legacy", "audit"))));
        add(id, on(id).observation("exec-1", new TopicsObserved(List.of())));
        ScriptedClusters.connectors(script, id);
        add(id, on(id).expandStorage("20Gi"));
        add(id, on(id).expandStorage("20480Mi")); // rejected: no change
        add(id, on(id).expandStorage("15Gi")); // rejected: volumes cannot shrink
        Command rebalance = on(id).rebalanceCluster("topics created unevenly", null);
        add(id, rebalance);
        String rb = "Rebalance/" + rebalance.getCommandId();
        add(id, on(id).observation("exec-1", new OperationObserved(rb, "Rebalance", OperationState.RUNNING, rebalance.getCommandId(), null)));
        add(id, on(id).rebalanceCluster(null, null)); // rejected: operation in progress
        add(id, on(id).observation("exec-1", new OperationStepObserved(rb, "rebalance", StepState.STARTED, null, "6 partition(s)", 0, 6)));
        add(id, on(id).observation("exec-1", new OperationObserved(rb, "Rebalance", OperationState.SUCCEEDED, rebalance.getCommandId(), null)));
        add(id, on(id).rebalanceCluster("again, throttled", 104_857_600L)); // pending to the end
        add(id, on(id).changeClientAuthentication("TLS")); // rejected: not in one step
        add(id, on(id).createUser("legacy-app", List.of())); // rejected: NONE names no client
        add(id, on(id).changeClientAuthentication("OPTIONAL"));
        add(id, on(id).createUser("legacy-app", List.of(AclRules.parse("topic:legacy:READ"))));
        add(id, on(id).changeClientAuthentication("NONE")); // rejected: a user would lose its ACLs
        add(id, on(id).deleteUser("legacy-app"));
        add(id, on(id).changeClientAuthentication("NONE"));
        add(id, on(id).setMaintenanceWindows(List.of("Mon-Fri 02:00-05:00")));
        add(id, on(id).setMaintenanceWindows(List.of("Mon-Fri 02:00-05:00"))); // rejected: no change
        add(id, on(id).observation("exec-1", new OperationDeferred("RollingRestart", null, java.time.Instant.parse("2026-12-07T02:00:00Z"))));
        Command replace = on(id).replaceClusterCa("key copied to a laptop that was lost");
        add(id, replace);
        String ca = "ReplaceClusterCa/" + replace.getCommandId();
        add(id, on(id).observation("exec-1", new OperationObserved(ca, "ReplaceClusterCa", OperationState.RUNNING, replace.getCommandId(), null)));
        add(id, on(id).replaceClusterCa(null)); // rejected: operation in progress
        add(id, on(id).observation("exec-1", new io.coxswain.avro.command.CaObserved("AB:CD", java.time.Instant.parse("2031-12-06T00:00:00Z"),
                List.of("AB:CD", "01:02"))));
        add(id, on(id).observation("exec-1", new OperationObserved(ca, "ReplaceClusterCa", OperationState.SUCCEEDED, replace.getCommandId(), null)));
    }

    /** Users on a cluster that authenticates clients: created, re-granted, refused where they do not apply, deleted. */
    private void users(String id) {
        add(id, on(id).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(ClientAuthentication.TLS).build()));
        add(id, on(id).createUser("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"))));
        add(id, on(id).createUser("orders-app", List.of())); // rejected: exists
        add(id, on(id).createUser(id + "-broker-0", List.of())); // rejected: a node's principal
        add(id, on(id).updateUserAcls("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"),
                AclRules.parse("group:orders:READ"))));
        add(id, on(id).setComponent("connect", 1, null, null, Map.of())); // rejected: no user 'connect' to connect as
        add(id, on(id).updateUserQuotas("orders-app", UserQuotas.newBuilder().setProducerByteRate(1_048_576L).build()));
        add(id, on(id).updateUserQuotas("orders-app", UserQuotas.newBuilder().setProducerByteRate(1_048_576L).build())); // rejected: no change
        add(id, on(id).createUser("billing-app", List.of(), UserQuotas.newBuilder().setRequestPercentage(12.5).build()));
        add(id, on(id).deleteUser("orders-app"));
        add(id, on(id).deleteUser("orders-app")); // rejected: gone
        add(id, on(id).createUser("orders-app", List.of())); // rejected: its name is retired
        add(id, on(id).createUser("py-app", List.of(AclRules.parse("topic:orders:READ")), null, "SCRAM-SHA-512"));
        add(id, on(id).createUser("connect", List.of(), null, "SCRAM-SHA-512")); // rejected: a component's name
        add(id, on(id).setClusterLabels(Map.of("team", "payments", "env", "prod")));
        add(id, on(id).setClusterLabels(Map.of("env", "prod", "team", "payments"))); // rejected: no change
        add(id, on(id).rotateUserPassword("py-app", "a leaked password"));
        add(id, on(id).rotateUserPassword("py-app", null));
        add(id, on(id).rotateUserPassword("connect", null)); // rejected: no such user
        add(id, on(id).deleteUser("py-app"));
    }

    /** This log's add and builder, for the scripts kept in {@link ScriptedClusters}. */
    private final ScriptedClusters.Script script = new ScriptedClusters.Script() {
        @Override
        public void add(String cluster, Command c) {
            VariedLog.this.add(cluster, c);
        }

        @Override
        public CommandBuilder on(String cluster) {
            return VariedLog.this.on(cluster);
        }
    };

    private CommandBuilder on(String cluster) {
        long ts = baseMillis + out.size();
        return Commands.on(cluster).commandId(new UUID(random.nextLong(), random.nextLong()).toString())
                .issuer(random.nextInt(4) == 0 ? "svc-billing" : "alice").issuedAt(Instant.ofEpochMilli(ts));
    }

    private static final String[] COMPONENTS = {"schema-registry", "connect", "ksqldb"};

    private Command command(String cluster) {
        CommandBuilder b = on(cluster);
        if (random.nextInt(10) == 0) {
            b.expectedVersion(random.nextInt(12));
        }
        int brokers = 1 + random.nextInt(5);
        return switch (random.nextInt(22)) {
            case 0, 1 -> b.createCluster(CreateCluster.newBuilder().setKafkaVersion(VERSIONS[random.nextInt(VERSIONS.length)])
                    .setControllers(random.nextBoolean() ? 1 : 3).setBrokers(brokers)
                    .setStorage(StorageRequest.newBuilder().setSize((1 + random.nextInt(50)) + "Gi").build())
                    .setClientAuthentication(random.nextBoolean() ? ClientAuthentication.TLS : ClientAuthentication.NONE)
                    .setBrokerConfig(Map.of("log.retention.hours", String.valueOf(random.nextInt(200)))).build());
            case 2 -> b.scaleBrokers(brokers);
            case 3 -> upgrade(cluster, b);
            case 4 -> b.updateBrokerConfig(Map.of("k" + random.nextInt(4), "v" + random.nextInt(3)),
                    random.nextBoolean() ? List.of() : List.of("k" + random.nextInt(4) + "x"));
            case 5 -> b.createTopic("t" + random.nextInt(5), 1 + random.nextInt(12), 1 + random.nextInt(4), Map.of("cleanup.policy", "delete"));
            case 6 -> switch (random.nextInt(3)) { // the changes: some accepted, some lower, equal, too high or unknown
                case 0 -> b.updateTopicConfig("t" + random.nextInt(5), Map.of(random.nextBoolean() ? "retention.ms" : "min.insync.replicas",
                        String.valueOf(1 + random.nextInt(4))), List.of());
                case 1 -> b.increasePartitions("t" + random.nextInt(5), 1 + random.nextInt(12));
                default -> b.changeReplicationFactor("t" + random.nextInt(5), 1 + random.nextInt(5));
            };
            case 7 -> b.deleteTopic("t" + random.nextInt(5));
            case 8 -> b.pause(random.nextBoolean() ? null : "ops");
            case 9 -> b.resume();
            case 10 -> random.nextInt(4) == 0 ? b.deleteCluster(random.nextBoolean()) : b.scaleBrokers(brokers);
            case 11 -> b.observation("exec-" + random.nextInt(2), ComponentObserved.newBuilder()
                    .setComponent(random.nextBoolean() ? "brokers" : "controllers").setDesired(brokers).setReady(random.nextInt(brokers + 1))
                    .setVersions(List.of(VERSIONS[random.nextInt(VERSIONS.length)])).build());
            case 12 -> b.observation("exec-1", new OperationObserved("op-" + cluster + "-" + random.nextInt(3), "RollingUpgrade",
                    OperationState.values()[random.nextInt(OperationState.values().length)], lastUpgrade.get(cluster), null));
            case 13 -> b.observation("exec-1", new OperationStepObserved("op-" + cluster + "-" + random.nextInt(3), "step-" + random.nextInt(9),
                    StepState.values()[random.nextInt(3)], random.nextInt(5), null, random.nextInt(5), 5));
            case 14 -> b.observation("exec-1", new ResourceActionObserved(ResourceAction.values()[random.nextInt(ResourceAction.values().length)],
                    "Pod", "kafka", cluster + "-broker-" + random.nextInt(5), "reconcile", lastUpgrade.get(cluster), null));
            case 15 -> random.nextBoolean() ? b.retryOperation("op-" + cluster + "-" + random.nextInt(3), random.nextBoolean() ? null : "again")
                    : b.abandonOperation("op-" + cluster + "-" + random.nextInt(3), null);
            case 16 -> b.restartCluster(CommandShape.RESTART_COMPONENTS.get(random.nextInt(3)), null);
            case 17 -> b.observation("exec-1", new TopicsObserved(List.of("t" + random.nextInt(5), "x" + random.nextInt(5))));
            case 18 -> b.setComponent(COMPONENTS[random.nextInt(COMPONENTS.length)], 1 + random.nextInt(3),
                    random.nextBoolean() ? null : "7.9." + random.nextInt(2), null, random.nextBoolean() ? Map.of() : Map.of("k.x", "v" + random.nextInt(2)));
            case 19 -> random.nextBoolean() ? b.removeComponent(COMPONENTS[random.nextInt(COMPONENTS.length)])
                    : b.observation("exec-1", ComponentObserved.newBuilder().setComponent(COMPONENTS[random.nextInt(COMPONENTS.length)])
                    .setDesired(1 + random.nextInt(3)).setReady(random.nextInt(3)).setVersions(List.of("7.9.0")).build());
            case 20 -> switch (random.nextInt(6)) {
                case 0 -> b.createUser("u" + random.nextInt(3), List.of(AclRules.parse("topic:t" + random.nextInt(5) + ":READ")));
                case 1 -> b.updateUserAcls("u" + random.nextInt(3), List.of(AclRules.parse("group:g:READ"), AclRules.parse("topic:t:prefixed:WRITE")));
                case 2 -> b.updateResources(random.nextBoolean() ? "brokers" : "controllers", random.nextBoolean() ? null : (1 + random.nextInt(3)) + "",
                        null, (2 + random.nextInt(3)) + "Gi", "1g"); // some accepted, some NO_CHANGE
                case 3 -> b.updateUserQuotas("u" + random.nextInt(3), random.nextBoolean() ? null
                        : UserQuotas.newBuilder().setConsumerByteRate(1024L * (1 + random.nextInt(3))).build());
                case 4 -> b.expandStorage((5 + random.nextInt(20)) + "Gi"); // accepted, NO_CHANGE or STORAGE_CANNOT_SHRINK
                default -> b.deleteUser("u" + random.nextInt(3));
            };
            default -> random.nextInt(3) == 0 ? b.observation("exec-1", new ClusterRemovedObserved(random.nextBoolean()))
                    : b.observation("exec-1", new EndpointObserved(cluster + ":" + (9000 + random.nextInt(10))));
        };
    }

    private Command upgrade(String cluster, CommandBuilder b) {
        Command c = b.upgradeKafka(VERSIONS[random.nextInt(VERSIONS.length)], random.nextInt(4) == 0);
        lastUpgrade.put(cluster, c.getCommandId());
        return c;
    }

    /** Commands a service could produce straight to the topic without the builder's checks: DECIDE rejects them. */
    private Command invalid(String cluster) {
        Command good = on(cluster).scaleBrokers(3);
        return switch (random.nextInt(3)) {
            case 0 -> Command.newBuilder(good).setPayload(new ScaleBrokers(0)).build();
            case 1 -> Command.newBuilder(good).setCommandId("bad id with spaces").build();
            default -> Command.newBuilder(good).setIssuer(" ").build();
        };
    }

    private void poison(String kind, String cluster) {
        byte[] body = codecs.commands().avroBytes(on(cluster).scaleBrokers(2));
        byte[] value = switch (kind) {
            case "garbage" -> "{\"commandId\": \"json is not avro\"}".getBytes();
            case "unknown-magic" -> new byte[] {7, 1, 2, 3, 4, 5};
            case "empty" -> new byte[0];
            case "tombstone" -> null;
            case "unknown-schema-id" -> WireFormat.frame(0x7ffffff0, body);
            case "truncated-id" -> new byte[] {0, 1};
            case "unknown-guid" -> ByteBuffer.allocate(17 + body.length).put((byte) 1).putLong(1).putLong(2).put(body).array();
            case "body-mismatch" -> WireFormat.frame(writers.get(0).id(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 3});
            case "trailing-bytes" -> concat(codecs.commands().encode(on(cluster).scaleBrokers(2)), new byte[] {1, 2, 3});
            case "wrong-record-type" -> codecs.decisions().encode(Decision.newBuilder().setCommandId("x").setClusterId(cluster)
                    .setCommandType("ScaleBrokers").setIssuer("alice").setIssuedAt(Instant.EPOCH).setOutcome(new CommandAccepted(1L, 0)).build());
            default -> throw new IllegalArgumentException(kind);
        };
        add(AuditFixture.Raw.key(cluster), value, null);
    }

    private void add(String key, Command c) {
        int form = random.nextInt(10);
        Writer w = writers.get(random.nextInt(writers.size()));
        byte[] current = codecs.commands().avroBytes(c);
        byte[] body = SchemaIdentity.sameSchema(w.schema(), Command.getClassSchema()) ? current
                : hasTypesOf(w.schema(), c) ? rewrite(current, w.schema()) : null;
        if (body == null) { // a command type the older schema does not have: only a newer writer can have written it
            w = writers.stream().filter(x -> SchemaIdentity.sameSchema(x.schema(), Command.getClassSchema())).findFirst().orElseThrow();
            body = current;
        }
        if (form == 0) { // the newer 0x01 + GUID form
            byte[] guid = ByteBuffer.allocate(16).putLong(SchemaIdentity.guidOf(w.schema()).getMostSignificantBits())
                    .putLong(SchemaIdentity.guidOf(w.schema()).getLeastSignificantBits()).array();
            add(AuditFixture.Raw.key(key), concat(concat(new byte[] {1}, guid), body), null);
        } else if (form == 1) { // schema id in a header, bare Avro value
            RecordHeaders h = new RecordHeaders();
            h.add(WireFormat.VALUE_SCHEMA_ID_HEADER, WireFormat.frame(w.id(), new byte[0]));
            add(AuditFixture.Raw.key(key), body, h);
        } else {
            add(AuditFixture.Raw.key(key), WireFormat.frame(w.id(), body), null);
        }
    }

    private byte[] encode(Command c) {
        return codecs.commands().encode(c);
    }

    private void add(byte[] key, byte[] value, org.apache.kafka.common.header.Headers headers) {
        out.add(new AuditFixture.Raw(key, value, headers, baseMillis + out.size()));
    }

    /**
     * Whether an older writer schema has the command's payload type (and observation type). Avro does
     * not fail on a union branch the reader lacks: it resolves it to another record (an ExpandStorage
     * read with v6 came out an empty UpdateBrokerConfig), so the check is by name, before rewriting.
     */
    private static boolean hasTypesOf(Schema writer, Command c) {
        String payload = ((SpecificRecord) c.getPayload()).getSchema().getName();
        Optional<Schema> branch = writer.getField("payload").schema().getTypes().stream().filter(s -> s.getName().equals(payload)).findFirst();
        if (branch.isEmpty() || !(c.getPayload() instanceof RecordObservation o)) {
            return branch.isPresent();
        }
        String observation = ((SpecificRecord) o.getObservation()).getSchema().getName();
        return branch.get().getField("observation").schema().getTypes().stream().anyMatch(s -> s.getName().equals(observation));
    }

    /** Re-encodes a current-schema body with an older writer schema (resolving current → older); null if the older one cannot hold it. */
    private static byte[] rewrite(byte[] currentBody, Schema older) {
        try {
            GenericRecord r = new GenericDatumReader<GenericRecord>(Command.getClassSchema(), older)
                    .read(null, DecoderFactory.get().binaryDecoder(currentBody, null));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(older).write(r, enc);
            enc.flush();
            return bytes.toByteArray();
        } catch (AvroTypeException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
