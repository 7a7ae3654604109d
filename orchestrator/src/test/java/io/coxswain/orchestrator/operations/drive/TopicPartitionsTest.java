package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The partitions of a managed topic against a REAL Kafka broker (the tests' shared KRaft node): added
 * up to the state's count, recorded before they are, once; more on the broker than in the state is
 * left alone, warned of once per count, and holds no other change of the pass back.
 */
class TopicPartitionsTest {

    private static final Duration T = Duration.ofSeconds(30);

    private final String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Integer> partitionsAtRecordTime = new ArrayList<>();
    private Admin admin;
    private RecordingSink sink;
    private TopicSync sync;
    private ListAppender<ILoggingEvent> warnings;
    private ClusterState state;

    @BeforeEach
    void start() {
        admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
        // what the broker has at the moment each action is recorded: recorded first, then done
        sink = new RecordingSink((cluster, o) -> {
            if (o instanceof ResourceActionObserved a && a.getName().equals(topic) && a.getAction() == ResourceAction.UPDATE) {
                partitionsAtRecordTime.add(partitions());
            }
        });
        sync = new TopicSync(new OperationRecorder(sink));
        warnings = new ListAppender<>();
        warnings.start();
        ((Logger) LoggerFactory.getLogger(TopicSync.class)).addAppender(warnings);
        state = TestStates.created("pay", 1, 1);
        state = fold(Commands.on("pay").issuer("test").commandId("create-topic").createTopic(topic, 2, 1, Map.of()));
        sync.sync(state, "create-topic", admin, T);
        awaitPartitions(2);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(TopicSync.class)).detachAppender(warnings);
        admin.deleteTopics(List.of(topic)).all().toCompletionStage().toCompletableFuture().join();
        admin.close();
    }

    @Test
    void theStatesNewCountIsAddedOnTheBrokerAfterTheActionIsRecordedAndOnlyOnce() {
        state = fold(Commands.on("pay").issuer("alice").commandId("more").increasePartitions(topic, 5));
        sync.sync(state, "more", admin, T);

        awaitPartitions(5);
        List<ResourceActionObserved> updates = sink.actions(ResourceAction.UPDATE);
        assertThat(updates).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo("KafkaTopic");
            assertThat(a.getName()).isEqualTo(topic);
            assertThat(a.getReason()).isEqualTo("IncreasePartitions: topic " + topic + " has 2 partitions on the cluster, the state asks for 5");
            assertThat(a.getDetail()).isEqualTo("partitions 2 → 5");
            assertThat(a.getCauseCommandId()).isEqualTo("more");
        });
        assertThat(partitionsAtRecordTime).as("recorded before the partitions were added").containsExactly(2);

        sync.sync(state, "more", admin, T); // level-triggered: the broker has them now, nothing to do
        assertThat(sink.actions(ResourceAction.UPDATE)).hasSize(1);
        assertThat(warnings.list).filteredOn(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(topic)).isEmpty();
    }

    @Test
    void partitionsAddedByHandAreNeverLoweredWarnedOfOnceAndHoldNothingElseBack() {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().toCompletionStage().toCompletableFuture().join();
        awaitPartitions(4);

        sync.sync(state, "create-topic", admin, T);
        sync.sync(state, "create-topic", admin, T);
        assertThat(partitions()).isEqualTo(4);
        assertThat(sink.actions(ResourceAction.UPDATE)).isEmpty();
        List<String> warned = warnings.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(topic))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warned).as("once, not at every pass").singleElement().asString()
                .contains("cluster pay: topic " + topic + " has 4 partitions on the cluster but 2 in Coxswain's state",
                        "Kafka cannot remove partitions", "send IncreasePartitions " + topic + " 4");

        // the same pass still brings the topic's configuration to the state's
        state = fold(Commands.on("pay").issuer("alice").commandId("retention").updateTopicConfig(topic, Map.of("retention.ms", "60000"), List.of()));
        sync.sync(state, "retention", admin, T);
        assertThat(sink.actions(ResourceAction.APPLY)).singleElement().satisfies(a -> assertThat(a.getName()).isEqualTo(topic));
        // the broker's metadata cache, which describeConfigs reads, takes the change shortly after the controller does
        DriveWorld.await(T, () -> "topic " + topic + " with retention.ms 60000, last seen " + retention(), () -> "60000".equals(retention()));

        // the state catching up with the broker ends it, with nothing to do
        state = fold(Commands.on("pay").issuer("alice").commandId("adopt").increasePartitions(topic, 4));
        sync.sync(state, "adopt", admin, T);
        assertThat(sink.actions(ResourceAction.UPDATE)).isEmpty();
        assertThat(partitions()).isEqualTo(4);
    }

    private ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }

    private int partitions() {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().toCompletableFuture().join().get(topic);
        return d.partitions().size();
    }

    private String retention() {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().toCompletionStage().toCompletableFuture().join()
                .get(resource).get("retention.ms").value();
    }

    /** A change reaches the broker's metadata cache, which describeTopics reads, shortly after the controller takes it. */
    private void awaitPartitions(int n) {
        DriveWorld.await(T, () -> "topic " + topic + " with " + n + " partitions", () -> {
            try {
                return partitions() == n;
            } catch (RuntimeException notYetKnown) {
                return false;
            }
        });
    }
}
