package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.orchestrator.operations.connect.ConnectRestException;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mirror end to end in the sandbox: two clusters of REAL Kafka nodes over TLS (source {@code north}, target
 * {@code south}), south's connect pod running a REAL Connect worker with MirrorMaker 2's connectors on its classpath. The
 * SetMirror sent to south makes the executor copy north's CA certificate into south's mirror Secret and run
 * {@code dr-source}: the records of north's {@code orders} appear in south's {@code north.orders}; PAUSED pauses it, and
 * DeleteMirror removes it from the worker. Each mirror's heartbeat connector writes into the source's heartbeats topic, and
 * the mirror copies them to the target's {@code <source>.heartbeats}. Between clusters that both require client certificates, the mirror runs only once
 * it names a sourceUser, and presents that user's certificate to the source and the connect user's to the target, with
 * the ACLs the README lists; a consumer group fails over with its offsets translated.
 */
class MirrorEndToEndTest {

    /** The clusters requiring client certificates. */
    private static final String SOURCE = "east";
    private static final String TARGET = "west";
    /** The clusters that do not. */
    private static final String PLAIN_SOURCE = "north";
    private static final String PLAIN_TARGET = "south";
    private static final Duration T = Duration.ofSeconds(120);
    private static final String GROUP = "billing";
    /** One world for both cases, each on clusters of its own: a second sandbox, node and executor only added their start. */
    private static DriveWorld world;

    @BeforeAll
    static void startWorld() throws Exception {
        world = new DriveWorld();
        world.startExecutor("exec-mirror");
    }

    @AfterAll
    static void stopWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void recordsOfTheSourceAppearPrefixedOnTheTargetUntilTheMirrorIsPausedAndDeleted() throws Exception {
        world.accepted(Commands.on(PLAIN_SOURCE).issuer("test").commandId("create-north").createCluster("4.3.1", 1, 1, "1Gi"));
        world.accepted(Commands.on(PLAIN_TARGET).issuer("test").commandId("create-south").createCluster("4.3.1", 1, 1, "1Gi"));
        world.awaitState(PLAIN_SOURCE, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        world.awaitState(PLAIN_TARGET, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        try (Admin admin = world.admin(PLAIN_SOURCE, 1)) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get();
        }
        world.produce(PLAIN_SOURCE, 1, "orders", List.of("order-1", "order-2", "order-3"));

        world.accepted(on(PLAIN_TARGET, "connect").setComponent("connect", 1, null, null, Map.of()));
        SetMirror mirror = SetMirror.newBuilder().setName("dr").setSourceCluster(PLAIN_SOURCE).setTopics(List.of("orders")).build();
        world.accepted(on(PLAIN_TARGET, "mirror").setMirror(mirror));
        world.awaitState(PLAIN_TARGET, Duration.ofSeconds(180), "dr-source RUNNING", s -> running(s.getStatus().getConnectors().get("dr-source")));
        DriveWorld.await(T, () -> "the records in " + PLAIN_TARGET + "'s " + PLAIN_SOURCE + ".orders",
                () -> consumed(world, PLAIN_SOURCE, PLAIN_TARGET).containsAll(List.of("order-1", "order-2", "order-3")));
        assertThat(world.actions(PLAIN_TARGET)).filteredOn(a -> "KafkaConnector".equals(a.getKind()) && "dr-source".equals(a.getName()))
                .extracting(ResourceActionObserved::getCauseCommandId).as("its creation is recorded for the SetMirror").contains("mirror");
        assertThat(world.state(PLAIN_TARGET).orElseThrow().getStatus().getUnmanagedConnectors()).doesNotContain("dr-source");
        // the heartbeats: written into north's heartbeats topic, copied by the mirror to south's north.heartbeats
        world.awaitState(PLAIN_TARGET, T, "dr-heartbeat RUNNING", s -> running(s.getStatus().getConnectors().get("dr-heartbeat")));
        DriveWorld.await(T, () -> "heartbeats in " + PLAIN_TARGET + "'s " + PLAIN_SOURCE + ".heartbeats",
                () -> heartbeats(targetClient(world, PLAIN_TARGET), PLAIN_SOURCE) >= 2);

        world.accepted(on(PLAIN_TARGET, "pause").setMirror(SetMirror.newBuilder(mirror).setState(ConnectorState.PAUSED).build()));
        ConnectRest rest = new ConnectRest(HttpClient.newHttpClient(),
                world.connectUrl(ClusterNames.of(PLAIN_TARGET, ModelSettings.defaults().namespaceTemplate())), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        DriveWorld.await(T, () -> "dr-source and dr-heartbeat PAUSED on the worker", () -> connectors(rest).filter(c -> c.containsKey("dr-source")
                && "PAUSED".equals(c.get("dr-source").state()) && c.containsKey("dr-heartbeat") && "PAUSED".equals(c.get("dr-heartbeat").state()))
                .isPresent());

        world.accepted(on(PLAIN_TARGET, "delete").deleteMirror("dr"));
        // with no mirror left the connect pod rolls without the mirrors' Secret: asked until its worker answers
        DriveWorld.await(T, () -> "dr-source and dr-heartbeat gone from the worker", () -> connectors(rest)
                .filter(c -> !c.containsKey("dr-source") && !c.containsKey("dr-heartbeat")).isPresent());
        world.awaitState(PLAIN_TARGET, T, "dr-source and dr-heartbeat gone from the status", s -> !s.getStatus().getConnectors().containsKey("dr-source")
                && !s.getStatus().getConnectors().containsKey("dr-heartbeat"));
    }

    /**
     * Both clusters require client certificates: the mirror reads east as its sourceUser and writes west as west's connect
     * user, each with the ACLs the README lists, all granted by commands. A group that read part of east's orders fails over
     * to west where it stopped: the checkpoint connector translates its offset and commits it to west's group, and a consumer
     * of that group on west reads first the record the group had not read on east.
     */
    @Test
    void betweenClustersRequiringCertificatesTheMirrorRunsAsTheirUsersAndAGroupFailsOverWhereItStopped() throws Exception {
        world.accepted(DriveWorld.createTlsCluster(SOURCE, "create-east", 1));
        world.accepted(DriveWorld.createTlsCluster(TARGET, "create-west", 1));
        world.awaitState(SOURCE, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        world.accepted(Commands.on(SOURCE).issuer("test").commandId("orders").createTopic("orders", 1, 1, Map.of()));
        world.accepted(Commands.on(SOURCE).issuer("test").commandId("app").createUser("orders-app",
                List.of(AclRules.parse("topic:orders:WRITE,DESCRIBE"))));
        world.accepted(Commands.on(SOURCE).issuer("test").commandId("billing").createUser(GROUP + "-app",
                List.of(AclRules.parse("topic:orders:READ,DESCRIBE"), AclRules.parse("group:" + GROUP + ":READ"))));
        world.accepted(Commands.on(SOURCE).issuer("test").commandId("mirror-user").createUser("mirror-dr", List.of(
                AclRules.parse("topic:orders:prefixed:READ,DESCRIBE,DESCRIBE_CONFIGS"), AclRules.parse("cluster:kafka-cluster:DESCRIBE"),
                AclRules.parse("group:" + GROUP + ":prefixed:DESCRIBE"),
                AclRules.parse("topic:heartbeats:CREATE,WRITE,READ,DESCRIBE,DESCRIBE_CONFIGS"))));
        Map<String, String> app = TlsSecrets.decoded(world.awaitUserSecret(SOURCE, "orders-app"));
        DriveWorld.await(T, () -> "orders-app writes to east's orders", () -> Producers.asUser(world.bootstrap(SOURCE, 1), app, "orders") == null);

        world.awaitState(TARGET, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        // on west, the workers' own group and topics, then what the README lists for a mirror into a cluster requiring certificates
        world.accepted(on(TARGET, "connect-user").createUser("connect", List.of(AclRules.parse("group:west-connect:ALL"),
                AclRules.parse("topic:_west-connect-:prefixed:ALL"),
                AclRules.parse("topic:" + SOURCE + ".:prefixed:CREATE,WRITE,DESCRIBE,DESCRIBE_CONFIGS,ALTER_CONFIGS,READ"),
                AclRules.parse("topic:mm2-offset-syncs." + SOURCE + ".internal:CREATE,WRITE,DESCRIBE,DESCRIBE_CONFIGS,ALTER_CONFIGS,READ"),
                AclRules.parse("group:" + GROUP + ":prefixed:READ"))));
        world.accepted(on(TARGET, "failover-user").createUser(GROUP + "-app", List.of(AclRules.parse("topic:" + SOURCE + ".orders:READ,DESCRIBE"),
                AclRules.parse("topic:" + SOURCE + ".heartbeats:READ,DESCRIBE"),
                AclRules.parse("group:" + GROUP + ":READ"))));
        world.accepted(on(TARGET, "connect").setComponent("connect", 1, null, null, Map.of()));

        SetMirror anonymous = SetMirror.newBuilder().setName("dr").setSourceCluster(SOURCE).setTopics(List.of("orders")).build();
        world.accepted(on(TARGET, "anonymous").setMirror(anonymous));
        String why = world.awaitState(TARGET, T, "dr reported not runnable", s -> s.getStatus().getMirrorsNotRunnable().containsKey("dr"))
                .getStatus().getMirrorsNotRunnable().get("dr");
        assertThat(why).contains("requires client certificates", "sourceUser", "READ and DESCRIBE");

        SetMirror asUser = SetMirror.newBuilder(anonymous).setSourceUser("mirror-dr").build();
        world.accepted(on(TARGET, "as-user").setMirror(asUser));
        world.awaitState(TARGET, Duration.ofSeconds(180), "dr-source RUNNING", s -> running(s.getStatus().getConnectors().get("dr-source")));
        String west = world.bootstrap(TARGET, 1);
        Map<String, String> failover = TlsSecrets.decoded(world.awaitUserSecret(TARGET, GROUP + "-app"));
        DriveWorld.await(T, () -> "east's record in " + TARGET + "'s east.orders", () -> Producers.withUser(west, failover,
                c -> consumed(c, SOURCE)).contains("created"));
        assertThat(world.state(TARGET).orElseThrow().getStatus().getMirrorsNotRunnable()).isEmpty();
        // heartbeats written into east as the mirror's user (its certificate given the producer by file), copied to west
        DriveWorld.await(T, () -> "heartbeats in " + TARGET + "'s " + SOURCE + ".heartbeats", () -> Producers.withUser(west, failover,
                c -> heartbeats(c, SOURCE)) >= 2);

        // the group reads east's orders up to order-2 and commits there: order-3 is the first it has not read
        Throwable written = Producers.withUser(world.bootstrap(SOURCE, 1), app, c -> Producers.send(c, List.of(
                new ProducerRecord<>("orders", "order-2", "order-2"), new ProducerRecord<>("orders", "order-3", "order-3"))));
        assertThat(written).isNull();
        Map<String, String> billing = TlsSecrets.decoded(world.awaitUserSecret(SOURCE, GROUP + "-app"));
        long committed = Producers.withUser(world.bootstrap(SOURCE, 1), billing, c -> readAndCommitThrough(c, "orders", "order-2"));

        world.accepted(on(TARGET, "groups").setMirror(SetMirror.newBuilder(asUser).setGroups(List.of(GROUP)).setSyncGroupOffsets(true).build()));
        world.awaitState(TARGET, Duration.ofSeconds(180), "dr-checkpoint RUNNING", s -> running(s.getStatus().getConnectors().get("dr-checkpoint")));
        List<String> copied = new ArrayList<>();
        DriveWorld.await(T, () -> "order-3 in " + TARGET + "'s east.orders (now " + copied + ")", () -> {
            copied.clear();
            copied.addAll(Producers.withUser(west, failover, c -> consumed(c, SOURCE)));
            return copied.contains("order-3");
        });
        long translated = copied.indexOf("order-3"); // the replica's offsets start at 0, as the source's do
        assertThat(translated).as("order-3 at the same offset on both sides").isEqualTo(committed);
        DriveWorld.await(T, () -> GROUP + "'s offset " + translated + " committed on " + TARGET + " (now "
                + Producers.withUser(west, failover, MirrorEndToEndTest::committedOffset) + ")",
                () -> Producers.withUser(west, failover, MirrorEndToEndTest::committedOffset) == translated);

        List<String> resumed = Producers.withUser(west, failover, MirrorEndToEndTest::firstRecordsOfTheGroup);
        assertThat(resumed).as("the group on west resumes where it stopped on east, re-reading nothing").startsWith("order-3")
                .doesNotContain("created", "order-2");
    }

    /** As group {@link #GROUP}: reads the topic from its start through the record {@code last}, commits after it; that offset. */
    private static long readAndCommitThrough(Map<String, Object> config, String topic, String last) {
        try (KafkaConsumer<String, String> consumer = groupConsumer(config)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + T.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value().equals(last)) {
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                        return r.offset() + 1;
                    }
                }
            }
            throw new AssertionError("group " + GROUP + " did not read " + last + " in " + topic + " within " + T.toSeconds() + " s");
        }
    }

    /** What group {@link #GROUP} has committed on the target for partition 0 of the replica; -1 for nothing (yet). */
    private static long committedOffset(Map<String, Object> config) {
        try (Admin admin = Admin.create(config)) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(SOURCE + ".orders", 0));
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            return -1; // not there yet: asked again
        }
    }

    /** The first records a consumer of group {@link #GROUP} reads from the target's replica: from the start if it committed nothing. */
    private static List<String> firstRecordsOfTheGroup(Map<String, Object> config) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = groupConsumer(config)) {
            consumer.subscribe(List.of(SOURCE + ".orders"));
            long deadline = System.nanoTime() + T.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    private static KafkaConsumer<String, String> groupConsumer(Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>(config);
        c.put("group.id", GROUP);
        c.put("auto.offset.reset", "earliest"); // without a committed offset: from the start, which the assertions would see
        c.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    /** What the worker reports; empty while it answers nothing (restarting). */
    private static Optional<Map<String, LiveConnector>> connectors(ConnectRest rest) {
        try {
            return Optional.of(rest.connectors());
        } catch (ConnectRestException e) {
            return Optional.empty();
        }
    }

    private static boolean running(ConnectorStatus c) {
        return c != null && c.getState().equals("RUNNING") && c.getTasks() >= 1 && c.getFailedTasks() == 0;
    }

    private static io.coxswain.commands.CommandBuilder on(String target, String id) {
        return Commands.on(target).issuer("test").commandId(id);
    }

    /** What the target's replica of the source's orders holds now; nothing while the mirror has not made it. */
    private static List<String> consumed(DriveWorld world, String source, String target) {
        return consumed(targetClient(world, target), source);
    }

    /** A client of the target as the test's own. */
    private static Map<String, Object> targetClient(DriveWorld world, String target) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(target));
        config.put("bootstrap.servers", world.bootstrap(target, 1));
        return config;
    }

    /** With this configuration (bootstrap and security included). */
    private static List<String> consumed(Map<String, Object> config, String source) {
        return records(config, source + ".orders");
    }

    /**
     * How many heartbeats the target's {@code <source>.heartbeats} holds: MirrorMaker's, written a second apart into the
     * source's heartbeats topic and copied by the mirror; 0 while it has none.
     */
    private static int heartbeats(Map<String, Object> config, String source) {
        return records(config, source + ".heartbeats").size();
    }

    /** What partition 0 of the topic holds now, as text; nothing while it is not there. */
    private static List<String> records(Map<String, Object> config, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            if (consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) {
                return values;
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        } catch (RuntimeException e) {
            return values; // not there yet: asked again
        }
        return values;
    }
}
