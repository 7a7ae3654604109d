package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.OffsetResetStatus;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ResetConsumerGroupOffsets end to end on a REAL Kafka node in the sandbox's pods: the command on the
 * log, the fold, the executor's two recorded steps, and the managed cluster's own answer for the
 * group's committed offsets; the log holds every partition's offset before and after, the plan ahead
 * of the outcome, for an auditor to read back.
 */
class OffsetResetEndToEndTest {

    private static final String CLUSTER = "groups";
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static DriveWorld world;

    @BeforeAll
    static void createClusterAndTopic() throws Exception {
        world = DriveWorld.withReadyCluster("exec-groups", Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.3.1", 1, 1, "1Gi"));
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 2, 1, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theGroupIsSetBackToTheStartOfTheTopicAndTheLogSaysFromWhere() throws Exception {
        try (Admin admin = world.admin(CLUSTER, 1)) {
            DriveWorld.await(Duration.ofSeconds(60), () -> "topic " + TOPIC + " on cluster " + CLUSTER, () -> exists(admin));
            produce(3, 0);
            produce(2, 1);
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(2))).all().get();

            Outcome unknown = world.send(Commands.on(CLUSTER).issuer("alice").resetConsumerGroupOffsets(GROUP, List.of("payments"),
                    OffsetResetTarget.EARLIEST, null, null, null));
            assertThat(unknown).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo(RejectionCode.TOPIC_NOT_FOUND));

            assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("replay-orders").resetConsumerGroupOffsets(GROUP,
                    List.of(TOPIC), OffsetResetTarget.EARLIEST, null, null, "replay after the billing fix"))).isInstanceOf(Outcome.Accepted.class);
            OffsetResetStatus outcome = world.awaitState(CLUSTER, Duration.ofSeconds(60), "the reset's outcome",
                    s -> s.getStatus().getOffsetResets().containsKey(GROUP)).getStatus().getOffsetResets().get(GROUP);
            assertThat(outcome.getCommandId()).isEqualTo("replay-orders");
            assertThat(outcome.getState()).isEqualTo("DONE");
            assertThat(outcome.getPartitions()).isEqualTo(2);
            assertThat(committed(admin)).isEqualTo(Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1), 0L));
            assertThat(world.state(CLUSTER).orElseThrow().getSpec().getOffsetResets()).isEmpty();
        }

        List<OffsetResetObserved> steps = world.commandLog().stream().filter(c -> c.getClusterId().equals(CLUSTER))
                .map(Command::getPayload).filter(p -> p instanceof RecordObservation o && o.getObservation() instanceof OffsetResetObserved)
                .map(p -> (OffsetResetObserved) ((RecordObservation) p).getObservation()).toList();
        assertThat(steps).extracting(OffsetResetObserved::getState).containsExactly(OffsetResetState.PLANNED, OffsetResetState.DONE);
        assertThat(steps.get(0).getPartitions()).isEqualTo(Map.of(TOPIC, List.of(new PartitionOffsetReset(0, 3L, 0L), new PartitionOffsetReset(1, 2L, 0L))));
        assertThat(steps.get(0).getCommandId()).isEqualTo("replay-orders");
    }

    private static boolean exists(Admin admin) {
        try {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().containsKey(TOPIC);
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void produce(int records, int partition) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(CLUSTER));
        config.put("bootstrap.servers", world.bootstrap(CLUSTER, 1));
        try (KafkaProducer<String, String> p = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>(TOPIC, partition, "k", "v" + i));
            }
            p.flush();
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> offsets.put(tp, o.offset()));
        return offsets;
    }
}
