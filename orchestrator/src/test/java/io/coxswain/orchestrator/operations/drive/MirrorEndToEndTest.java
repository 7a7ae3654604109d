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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A mirror end to end in the sandbox: two clusters of REAL Kafka nodes over TLS (source {@code east}, target
 * {@code west}), west's connect pod running a REAL Connect worker with MirrorMaker 2's connectors on its classpath. The
 * SetMirror sent to west makes the executor copy east's CA certificate into west's mirror Secret and run
 * {@code dr-source}: the records of east's {@code orders} appear in west's {@code east.orders}; PAUSED pauses it, and
 * DeleteMirror removes it from the worker. From a source that requires client certificates, the mirror runs only once
 * it names a sourceUser, whose certificate it presents with the ACLs the README lists.
 */
class MirrorEndToEndTest {

    private static final String SOURCE = "east";
    private static final String TARGET = "west";
    private static final Duration T = Duration.ofSeconds(120);

    @Test
    void recordsOfTheSourceAppearPrefixedOnTheTargetUntilTheMirrorIsPausedAndDeleted() throws Exception {
        try (DriveWorld world = DriveWorld.withReadyCluster("exec-mirror",
                Commands.on(SOURCE).issuer("test").commandId("create-east").createCluster("4.3.1", 1, 1, "1Gi"))) {
            world.accepted(Commands.on(TARGET).issuer("test").commandId("create-west").createCluster("4.3.1", 1, 1, "1Gi"));
            world.awaitState(TARGET, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
            try (Admin admin = world.admin(SOURCE, 1)) {
                admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get();
            }
            world.produce(SOURCE, 1, "orders", List.of("order-1", "order-2", "order-3"));

            world.accepted(on("connect").setComponent("connect", 1, null, null, Map.of()));
            SetMirror mirror = SetMirror.newBuilder().setName("dr").setSourceCluster(SOURCE).setTopics(List.of("orders")).build();
            world.accepted(on("mirror").setMirror(mirror));
            world.awaitState(TARGET, Duration.ofSeconds(180), "dr-source RUNNING", s -> running(s.getStatus().getConnectors().get("dr-source")));
            DriveWorld.await(T, () -> "the records in " + TARGET + "'s east.orders", () -> consumed(world).containsAll(List.of("order-1",
                    "order-2", "order-3")));
            assertThat(world.actions(TARGET)).filteredOn(a -> "KafkaConnector".equals(a.getKind()) && "dr-source".equals(a.getName()))
                    .extracting(ResourceActionObserved::getCauseCommandId).as("its creation is recorded for the SetMirror").contains("mirror");
            assertThat(world.state(TARGET).orElseThrow().getStatus().getUnmanagedConnectors()).doesNotContain("dr-source");

            world.accepted(on("pause").setMirror(SetMirror.newBuilder(mirror).setState(ConnectorState.PAUSED).build()));
            ConnectRest rest = new ConnectRest(HttpClient.newHttpClient(),
                    world.connectUrl(ClusterNames.of(TARGET, ModelSettings.defaults().namespaceTemplate())), Duration.ofSeconds(10),
                    Duration.ofSeconds(60));
            DriveWorld.await(T, () -> "dr-source PAUSED on the worker", () -> connectors(rest).map(c -> c.get("dr-source"))
                    .filter(c -> "PAUSED".equals(c.state())).isPresent());

            world.accepted(on("delete").deleteMirror("dr"));
            // with no mirror left the connect pod rolls without the mirrors' Secret: asked until its worker answers
            DriveWorld.await(T, () -> "dr-source gone from the worker", () -> connectors(rest).filter(c -> !c.containsKey("dr-source")).isPresent());
            world.awaitState(TARGET, T, "dr-source gone from the status", s -> !s.getStatus().getConnectors().containsKey("dr-source"));
        }
    }

    @Test
    void aSourceRequiringCertificatesIsMirroredOnlyAsTheSourceUserWithTheAclsTheReadmeLists() throws Exception {
        try (DriveWorld world = DriveWorld.withReadyTlsCluster(SOURCE, "exec-mirror-tls", 1)) {
            world.accepted(Commands.on(TARGET).issuer("test").commandId("create-west").createCluster("4.3.1", 1, 1, "1Gi"));
            world.accepted(Commands.on(SOURCE).issuer("test").commandId("orders").createTopic("orders", 1, 1, Map.of()));
            world.accepted(Commands.on(SOURCE).issuer("test").commandId("app").createUser("orders-app",
                    List.of(AclRules.parse("topic:orders:WRITE,DESCRIBE"))));
            world.accepted(Commands.on(SOURCE).issuer("test").commandId("mirror-user").createUser("mirror-dr", List.of(
                    AclRules.parse("topic:orders:prefixed:READ,DESCRIBE,DESCRIBE_CONFIGS"), AclRules.parse("cluster:kafka-cluster:DESCRIBE"))));
            Map<String, String> app = TlsSecrets.decoded(world.awaitUserSecret(SOURCE, "orders-app"));
            DriveWorld.await(T, () -> "orders-app writes to east's orders", () -> Producers.asUser(world.bootstrap(SOURCE, 1), app, "orders") == null);
            world.awaitState(TARGET, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
            world.accepted(on("connect").setComponent("connect", 1, null, null, Map.of()));

            SetMirror anonymous = SetMirror.newBuilder().setName("dr").setSourceCluster(SOURCE).setTopics(List.of("orders")).build();
            world.accepted(on("anonymous").setMirror(anonymous));
            String why = world.awaitState(TARGET, T, "dr reported not runnable", s -> s.getStatus().getMirrorsNotRunnable().containsKey("dr"))
                    .getStatus().getMirrorsNotRunnable().get("dr");
            assertThat(why).contains("requires client certificates", "sourceUser", "READ and DESCRIBE");

            world.accepted(on("as-user").setMirror(SetMirror.newBuilder(anonymous).setSourceUser("mirror-dr").build()));
            world.awaitState(TARGET, Duration.ofSeconds(180), "dr-source RUNNING", s -> running(s.getStatus().getConnectors().get("dr-source")));
            DriveWorld.await(T, () -> "east's record in " + TARGET + "'s east.orders", () -> consumed(world).contains("created"));
            assertThat(world.state(TARGET).orElseThrow().getStatus().getMirrorsNotRunnable()).isEmpty();
        }
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

    private static io.coxswain.commands.CommandBuilder on(String id) {
        return Commands.on(TARGET).issuer("test").commandId(id);
    }

    /** What the target's replica of the topic holds now; nothing while the mirror has not made it. */
    private static List<String> consumed(DriveWorld world) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(TARGET));
        config.put("bootstrap.servers", world.bootstrap(TARGET, 1));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            if (consumer.partitionsFor(SOURCE + ".orders", Duration.ofSeconds(5)).isEmpty()) {
                return values;
            }
            TopicPartition tp = new TopicPartition(SOURCE + ".orders", 0);
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
