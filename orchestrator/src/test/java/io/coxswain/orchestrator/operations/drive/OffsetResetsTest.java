package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumer group offset resets against a REAL Kafka broker (the tests' shared KRaft node), step by
 * step as the executor takes them: the plan is recorded while the group's offsets are still where it
 * found them, committed on the next pass; a group with a member, a group moved since the plan and a
 * request gone stale are refused with nothing committed; an executor that committed and died before
 * recording DONE leaves its successor nothing to shift twice.
 */
class OffsetResetsTest {

    private static final Duration T = Duration.ofSeconds(30);
    /** Record i of each partition is stamped T0 + i minutes. */
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    private final String group = "billing-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Map<TopicPartition, Long>> committedAtRecordTime = new ArrayList<>();
    private Admin admin;
    private RecordingSink sink;
    private ClusterState state;

    @BeforeEach
    void start() throws Exception {
        admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>(topic, partition, T0.plus(Duration.ofMinutes(i)).toEpochMilli(), "k", "v" + i));
                }
            }
            p.flush();
        }
        commit(Map.of(tp(0), 8L, tp(1), 8L));
        // what the group has committed at the moment each step is recorded: recorded first, then done
        sink = new RecordingSink((cluster, o) -> {
            if (o instanceof OffsetResetObserved) {
                committedAtRecordTime.add(committed());
            }
        });
        state = TestStates.created("pay", 1, 1);
        state = fold(Commands.on("pay").issuer("test").commandId("create-topic").createTopic(topic, 2, 1, Map.of()));
    }

    @AfterEach
    void stop() {
        admin.deleteConsumerGroups(List.of(group)).all().toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
        admin.deleteTopics(List.of(topic)).all().toCompletionStage().toCompletableFuture().join();
        admin.close();
    }

    @Test
    void theGroupGoesBackToATimeInTwoRecordedStepsAndOnlyOnce() {
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        state = fold(reset("reset-1", OffsetResetTarget.DATETIME, T0.plus(Duration.ofMinutes(5)), null));

        resets.sync(pass(state), admin, T);
        OffsetResetObserved planned = sink.of(OffsetResetObserved.class).get(0);
        assertThat(planned.getState()).isEqualTo(OffsetResetState.PLANNED);
        assertThat(planned.getCommandId()).isEqualTo("reset-1");
        assertThat(planned.getPartitions()).isEqualTo(Map.of(topic, List.of(new PartitionOffsetReset(0, 8L, 5L), new PartitionOffsetReset(1, 8L, 5L))));
        assertThat(planned.getReason()).contains("planned DATETIME 2026-12-01T10:05:00Z of 2 partition(s), asked by alice: bad deploy");
        assertThat(committed()).as("a plan commits nothing").isEqualTo(Map.of(tp(0), 8L, tp(1), 8L));
        resets.sync(pass(state), admin, T);
        assertThat(sink.of(OffsetResetObserved.class)).as("recorded once while the fold catches up").hasSize(1);

        state = fold(Commands.on("pay").observation("executor-1", planned));
        resets.sync(pass(state), admin, T);
        OffsetResetObserved done = sink.of(OffsetResetObserved.class).get(1);
        assertThat(done.getState()).isEqualTo(OffsetResetState.DONE);
        assertThat(done.getPartitions()).isEqualTo(planned.getPartitions());
        assertThat(committed()).isEqualTo(Map.of(tp(0), 5L, tp(1), 5L));
        assertThat(committedAtRecordTime.get(1)).as("DONE recorded after the commit").isEqualTo(Map.of(tp(0), 5L, tp(1), 5L));

        state = fold(Commands.on("pay").observation("executor-1", done));
        assertThat(state.getSpec().getOffsetResets()).isEmpty();
        assertThat(state.getStatus().getOffsetResets().get(group).getPartitions()).isEqualTo(2);
        resets.sync(pass(state), admin, T);
        assertThat(sink.of(OffsetResetObserved.class)).hasSize(2);
    }

    @Test
    void aShiftCommittedByAnExecutorThatDiedBeforeRecordingDoneIsNotShiftedAgainByTheNext() {
        state = fold(reset("shift", OffsetResetTarget.SHIFT_BY, null, -3L));
        new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(0)));
        new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
        assertThat(committed()).isEqualTo(Map.of(tp(0), 5L, tp(1), 5L));

        // its DONE never reached the log: the next executor finds the plan still pending
        new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
        assertThat(committed()).as("shifted once").isEqualTo(Map.of(tp(0), 5L, tp(1), 5L));
        OffsetResetObserved again = sink.of(OffsetResetObserved.class).get(2);
        assertThat(again.getState()).isEqualTo(OffsetResetState.DONE);
        assertThat(again.getReason()).contains("(2 already there)");
    }

    @Test
    void aGroupMovedSinceThePlanIsLeftWhereItIs() {
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        state = fold(reset("earliest", OffsetResetTarget.EARLIEST, null, null));
        resets.sync(pass(state), admin, T);
        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(0)));
        commit(Map.of(tp(1), 9L)); // a consumer ran and stopped again in between

        resets.sync(pass(state), admin, T);
        OffsetResetObserved refused = sink.of(OffsetResetObserved.class).get(1);
        assertThat(refused.getState()).isEqualTo(OffsetResetState.REFUSED);
        assertThat(refused.getReason()).contains("moved since the plan", topic + "-1 is at 9, planned from 8 to 0", "nothing was committed");
        assertThat(committed()).isEqualTo(Map.of(tp(0), 8L, tp(1), 9L));
    }

    @Test
    void aGroupWithAMemberIsRefusedNamingIt() {
        try (KafkaConsumer<String, String> consumer = joined("billing-eu-1")) {
            assertThat(consumer.assignment()).isNotEmpty();
            state = fold(reset("latest", OffsetResetTarget.LATEST, null, null));
            new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
        }
        OffsetResetObserved refused = sink.of(OffsetResetObserved.class).get(0);
        assertThat(refused.getState()).isEqualTo(OffsetResetState.REFUSED);
        assertThat(refused.getReason()).contains("'" + group + "' has 1 member(s) (billing-eu-1@", "stop its consumers");
        assertThat(refused.getPartitions()).isEmpty();
        assertThat(committed()).isEqualTo(Map.of(tp(0), 8L, tp(1), 8L));
    }

    @Test
    void aGroupThatDoesNotExistYetIsSetWhereItWillStart() {
        String fresh = group + "-new";
        state = fold(Commands.on("pay").issuer("alice").commandId("fresh").issuedAt(Instant.now())
                .resetConsumerGroupOffsets(fresh, List.of(topic), OffsetResetTarget.LATEST, null, null, "start at the end"));
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        resets.sync(pass(state), admin, T);
        OffsetResetObserved planned = sink.of(OffsetResetObserved.class).get(0);
        assertThat(planned.getPartitions()).isEqualTo(Map.of(topic, List.of(new PartitionOffsetReset(0, null, 10L), new PartitionOffsetReset(1, null, 10L))));
        state = fold(Commands.on("pay").observation("executor-1", planned));
        resets.sync(pass(state), admin, T);
        assertThat(sink.of(OffsetResetObserved.class).get(1).getState()).isEqualTo(OffsetResetState.DONE);
        assertThat(committedOf(fresh)).isEqualTo(Map.of(tp(0), 10L, tp(1), 10L));
        admin.deleteConsumerGroups(List.of(fresh)).all().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aTopicDeletedAfterThePlanIsRefusedWithNothingCommitted() throws Exception {
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        state = fold(reset("earliest", OffsetResetTarget.EARLIEST, null, null));
        resets.sync(pass(state), admin, T);
        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(0)));
        admin.deleteTopics(List.of(topic)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        DriveWorld.await(T, () -> "topic " + topic + " gone", () -> !admin.listTopics().names().toCompletionStage().toCompletableFuture()
                .join().contains(topic));
        // the coordinator drops the group's offsets on a deleted topic: the plan's from is gone too, and the reason still says why
        DriveWorld.await(T, () -> "the group's offsets on " + topic + " dropped", () -> committed().isEmpty());

        resets.sync(pass(state), admin, T);
        OffsetResetObserved refused = sink.of(OffsetResetObserved.class).get(1);
        assertThat(refused.getState()).isEqualTo(OffsetResetState.REFUSED);
        assertThat(refused.getReason()).contains(topic, "deleted since the plan", "nothing was committed");
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, java.util.concurrent.TimeUnit.SECONDS); // for stop()
    }

    @Test
    void consumersBackAfterACommitWhoseDoneWasLostDoNotTurnItIntoARefusal() {
        state = fold(reset("back", OffsetResetTarget.EARLIEST, null, null));
        new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(0)));
        new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T); // committed; its DONE never folded
        try (KafkaConsumer<String, String> consumer = joined("billing-back-1")) {
            new OffsetResets(new OperationRecorder(sink), Clock.systemUTC()).sync(pass(state), admin, T);
            assertThat(consumer.assignment()).isNotEmpty();
        }
        OffsetResetObserved last = sink.of(OffsetResetObserved.class).get(2);
        assertThat(last.getState()).isEqualTo(OffsetResetState.DONE);
        assertThat(last.getReason()).contains("(2 already there)");
    }

    @Test
    void aRequestTheExecutorFirstSeesLongAfterItWasAskedIsRefusedUnplanned() {
        state = fold(reset("old", OffsetResetTarget.EARLIEST, null, null));
        Clock later = Clock.fixed(Instant.now().plus(OffsetResets.STALE).plusSeconds(60), ZoneOffset.UTC);
        new OffsetResets(new OperationRecorder(sink), later).sync(pass(state), admin, T);
        OffsetResetObserved refused = sink.of(OffsetResetObserved.class).get(0);
        assertThat(refused.getState()).isEqualTo(OffsetResetState.REFUSED);
        assertThat(refused.getReason()).contains("more than 15 minutes", "ask again");
        assertThat(committed()).isEqualTo(Map.of(tp(0), 8L, tp(1), 8L));
    }

    @Test
    void aResetCancelledWhileAPassPlansItIsNeitherRecordedNorCommitted() {
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        state = fold(reset("cancelled", OffsetResetTarget.EARLIEST, null, null));
        ClusterState cancelled = Evolve.apply(state, Commands.on("pay").issuer("bob").commandId("cancel").cancelConsumerGroupOffsetReset(group, null));
        // the pass began on the state with the reset pending; the cancel folded while it looked at the group
        resets.sync(new ReconcilePass(state, "cancelled", () -> pass(cancelled)), admin, T);
        assertThat(sink.of(OffsetResetObserved.class)).as("no plan recorded for a reset no longer pending").isEmpty();
        assertThat(resets.remembered("pay")).isZero();
        state = cancelled;
        resets.sync(pass(state), admin, T);
        assertThat(sink.of(OffsetResetObserved.class)).isEmpty();
        assertThat(committed()).isEqualTo(Map.of(tp(0), 8L, tp(1), 8L));
    }

    @Test
    void whatAnExecutorKeepsOfAResetGoesOnceItSettlesOrTheClusterIsForgotten() {
        OffsetResets resets = new OffsetResets(new OperationRecorder(sink), Clock.systemUTC());
        state = fold(reset("kept", OffsetResetTarget.EARLIEST, null, null));
        resets.sync(pass(state), admin, T);
        assertThat(resets.remembered("pay")).as("its PLANNED, until the fold shows it").isEqualTo(1);
        resets.forget("pay"); // handed over to another executor
        assertThat(resets.remembered("pay")).isZero();

        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(0)));
        resets.sync(pass(state), admin, T);
        assertThat(sink.of(OffsetResetObserved.class).get(1).getState()).isEqualTo(OffsetResetState.DONE);
        assertThat(resets.remembered("pay")).as("its DONE, until the fold shows it").isEqualTo(1);
        state = fold(Commands.on("pay").observation("executor-1", sink.of(OffsetResetObserved.class).get(1)));
        resets.sync(pass(state), admin, T);
        assertThat(resets.remembered("pay")).as("settled: nothing kept").isZero();
    }

    private static ReconcilePass pass(ClusterState s) {
        return new ReconcilePass(s, s.getLastCommandId());
    }

    /** A consumer of the group, with its partitions assigned (so a member), committing nothing. */
    private KafkaConsumer<String, String> joined(String clientId) {
        Map<String, Object> config = Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "group.id", group, "client.id", clientId,
                "enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + T.toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        assertThat(consumer.assignment()).as("the consumer joined the group").isNotEmpty();
        return consumer;
    }

    private Command reset(String commandId, OffsetResetTarget to, Instant datetime, Long shiftBy) {
        return Commands.on("pay").issuer("alice").commandId(commandId).issuedAt(Instant.now())
                .resetConsumerGroupOffsets(group, List.of(topic), to, datetime, shiftBy, "bad deploy");
    }

    private ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }

    private TopicPartition tp(int partition) {
        return new TopicPartition(topic, partition);
    }

    private void commit(Map<TopicPartition, Long> offsets) {
        admin.alterConsumerGroupOffsets(group, offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new OffsetAndMetadata(e.getValue())))).all().toCompletionStage().toCompletableFuture().join();
    }

    private Map<TopicPartition, Long> committed() {
        return committedOf(group);
    }

    private Map<TopicPartition, Long> committedOf(String group) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage().toCompletableFuture().join()
                .forEach((tp, o) -> {
                    if (o != null) {
                        offsets.put(tp, o.offset());
                    }
                });
        return offsets;
    }
}
