package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.common.TopicCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deletion a REAL Kafka refuses (its own broker, started with delete.topic.enable=false, answers
 * TopicDeletionDisabledException): contained to the topic, recorded once, asked again only after the delay, shown in the status
 * though the state no longer has the topic, and over once the topic is asked for again (TopicDeletionRetryTest: a deletion
 * Kafka takes after a refusal, an executor restarted, a topic gone meanwhile).
 */
class TopicDeletionRefusalTest {

    private static final Duration T = Duration.ofSeconds(60);
    private static Path dir;
    private static EmbeddedKafka kafka;
    private static Admin admin;
    /** The deletions asked of the real broker, counted by the Admin client that asks them (it forwards every call). */
    private static final AtomicInteger deleteCalls = new AtomicInteger();

    private final RecordingSink sink = new RecordingSink();
    private final AtomicLong now = new AtomicLong();
    private final TopicSync sync = new TopicSync(new OperationRecorder(sink), DriveSettings.defaults().throttleBytes(), now::get);
    private ClusterState state = TestStates.created("pay", 1, 1);

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("coxswain-no-deletion-kafka");
        kafka = EmbeddedKafka.start(dir, 0, Map.of("delete.topic.enable", "false"));
        admin = new ForwardingAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())) {
            @Override
            public DeleteTopicsResult deleteTopics(TopicCollection topics, DeleteTopicsOptions options) {
                deleteCalls.incrementAndGet();
                return super.deleteTopics(topics, options);
            }
        };
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
        SharedKafka.deleteQuietly(dir);
    }

    @Test
    void aDeletionKafkaRefusesHoldsUpOnlyItsTopicIsShownAndEndsWhenTheTopicIsAskedForAgain() throws Exception {
        fold(asker("topics").createTopic("doomed", 1, 1, Map.of()));
        assertThat(sync.sync(state, "topics", admin, T)).isTrue();
        // a pass before the broker lists it would find nothing to delete, and this test's next pass asserts the refusal
        DriveWorld.await(T, () -> "topic doomed listed", () -> listed().contains("doomed"));

        fold(asker("drop").deleteTopic("doomed"));
        fold(asker("more").createTopic("later", 1, 1, Map.of()));
        assertThat(sync.sync(state, "more", admin, T)).as("not acted on while Kafka refuses the deletion").isFalse();
        // CreateTopics answers once the controller committed the topic; the broker that lists topics learns it a moment later.
        DriveWorld.await(T, () -> "the other topic, created in the same pass, listed beside the refused one", () -> listed().containsAll(Set.of("doomed", "later")));
        assertThat(deletions()).hasSize(2).last().extracting(ResourceActionObserved::getReason).asString()
                .startsWith("refused by Kafka: TopicDeletionDisabledException: ").contains("delete.topic.enable");
        TopicsRefusedObserved reported = refusalsRecorded().get(0);
        fold(reported);
        assertThat(state.getStatus().getTopicRefusals()).as("shown though the state no longer has the topic").containsOnlyKeys("doomed");
        assertThat(state.getStatus().getTopicRefusals().get("doomed").getReason()).startsWith("DeleteTopic refused: TopicDeletionDisabledException");
        assertThat(deleteCalls).hasValue(1);

        now.addAndGet(RefusedChanges.FIRST_DELAY.minusSeconds(1).toNanos());
        assertThat(sync.sync(state, "more", admin, T)).isFalse();
        assertThat(deleteCalls).as("not asked again within the delay").hasValue(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(sync.sync(state, "more", admin, T)).isFalse();
        assertThat(deleteCalls).as("asked again after it").hasValue(2);
        assertThat(deletions()).as("Kafka's same answer is not recorded again").hasSize(2);
        assertThat(refusalsRecorded()).hasSize(1);

        fold(asker("keep").createTopic("doomed", 1, 1, Map.of()));
        assertThat(sync.sync(state, "keep", admin, T)).isTrue();
        assertThat(refusalsRecorded()).hasSize(2).last().satisfies(o -> assertThat(o.getTopics()).isEmpty());
        fold(refusalsRecorded().get(1));
        assertThat(state.getStatus().getTopicRefusals()).isEmpty();
        assertThat(listed()).contains("doomed", "later");
    }

    private static Set<String> listed() {
        try {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new AssertionError("listing the topics of the test's broker failed", e);
        }
    }

    private static io.coxswain.commands.CommandBuilder asker(String commandId) {
        return Commands.on("pay").issuer("alice").commandId(commandId);
    }

    private void fold(Command c) {
        state = Evolve.apply(state, c);
    }

    private void fold(TopicsRefusedObserved o) {
        fold(Commands.on("pay").issuer("exec").observation("exec", o));
    }

    private List<ResourceActionObserved> deletions() {
        return sink.actions(ResourceAction.DELETE).stream().filter(a -> a.getName().equals("doomed")).toList();
    }

    private List<TopicsRefusedObserved> refusalsRecorded() {
        return sink.of(TopicsRefusedObserved.class);
    }
}
