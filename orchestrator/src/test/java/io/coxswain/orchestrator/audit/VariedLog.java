package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.avro.command.TopicsObserved;
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

    /**
     * A writer schema registered under the command subject, how to address it, and what rewrites a current body with it.
     * All worked out once: the canonical form of the commands schema (to compare or name it) and a resolution of the
     * current schema against an older one each took milliseconds, and did for every record of the log.
     */
    record Writer(Schema schema, int id, UUID guid, boolean current, GenericDatumReader<GenericRecord> fromCurrent,
            GenericDatumWriter<GenericRecord> writer) {

        static Writer of(Schema schema, int id) {
            return new Writer(schema, id, SchemaIdentity.guidOf(schema), SchemaIdentity.sameSchema(schema, Command.getClassSchema()),
                    new GenericDatumReader<>(Command.getClassSchema(), schema), new GenericDatumWriter<>(schema));
        }
    }

    /** @param writerSchemas every writer schema to use, each registered under the command subject */
    VariedLog(long seed, Codecs codecs, SchemaRegistry registry, List<Schema> writerSchemas, long baseMillis) {
        this.random = new Random(seed);
        this.codecs = codecs;
        this.baseMillis = baseMillis;
        for (Schema s : writerSchemas) {
            writers.add(Writer.of(s, registry.lookup(codecs.commands().subject(), s).orElseThrow().id()));
        }
    }

    List<AuditFixture.Raw> records() {
        return out;
    }

    /** One scripted cluster that goes through every type once, then {@code n} random records over {@code clusters}. */
    VariedLog generate(int clusters, int n) {
        ScriptedLifecycle.lifecycle(script, "c-script");
        ScriptedClusters.users(script, "c-users");
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
        byte[] body = w.current() ? current : hasTypesOf(w.schema(), c) ? rewrite(current, w) : null;
        if (body == null) { // a command type the older schema does not have: only a newer writer can have written it
            w = writers.stream().filter(Writer::current).findFirst().orElseThrow();
            body = current;
        }
        if (form == 0) { // the newer 0x01 + GUID form
            byte[] guid = ByteBuffer.allocate(16).putLong(w.guid().getMostSignificantBits()).putLong(w.guid().getLeastSignificantBits()).array();
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
    private static byte[] rewrite(byte[] currentBody, Writer older) {
        try {
            GenericRecord r = older.fromCurrent().read(null, DecoderFactory.get().binaryDecoder(currentBody, null));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
            older.writer().write(r, enc);
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
