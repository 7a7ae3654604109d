package io.coxswain.commands.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a writer (the gateway, a CommandClient) waits for Kafka to describe the fold's group, and when it uses the look it
 * has: a command never waits for a describe while the last look is younger than {@link FoldMembers#USED_FOR} (at 1,000
 * commands/s, every command arriving during a describe waited for it), yet a member that joins is seen soon after. The
 * group's members are plain consumers of a real broker whose client ids announce a commands schema version; the clock is
 * the test's, so a look's age does not depend on the machine's speed.
 */
class FoldMembersTest {

    /** One for each member the test has at most, so a settled group gives every member one. */
    private static final int PARTITIONS = 3;

    private final List<KafkaConsumer<byte[], byte[]>> members = new ArrayList<>();

    @AfterEach
    void leave() {
        members.forEach(KafkaConsumer::close);
    }

    @Test
    void aLookOlderThanFreshIsUsedAtOnceWhileTheNextIsAskedAndOneOlderThanUsedForIsWaitedFor() throws Exception {
        String group = "fold-" + UUID.randomUUID();
        String topic = "fold-members-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        MovableClock clock = new MovableClock();
        join(group, topic, "node-a-commands-v28");
        try (FoldMembers fold = new FoldMembers("test-fold", SharedKafka.bootstrapServers(), Map.of(), group, clock)) {
            assertThat(clients(fold.current().join())).as("a first look is waited for").containsExactly("node-a-commands-v28");

            join(group, topic, "node-b-commands-v29");
            assertThat(clients(fold.current().join())).as("fresh: the same look, Kafka not asked").containsExactly("node-a-commands-v28");

            clock.move(FoldMembers.FRESH_FOR.plusSeconds(1));
            CompletableFuture<FoldView> stale = fold.current();
            assertThat(stale).as("older than fresh: answered at once").isDone();
            assertThat(clients(stale.join())).as("with the look it has").containsExactly("node-a-commands-v28");
            // the look asked in the background is the next one used
            awaitClients(fold, List.of("node-a-commands-v28", "node-b-commands-v29"));

            join(group, topic, "node-c-commands-v27");
            clock.move(FoldMembers.USED_FOR.plusSeconds(1));
            assertThat(clients(fold.current().join())).as("older than USED_FOR: waited for, so it shows who is there now")
                    .containsExactly("node-a-commands-v28", "node-b-commands-v29", "node-c-commands-v27");
        }
    }

    /** A member of {@code group} under {@code clientId}, once Kafka has given it its partitions. */
    private void join(String group, String topic, String clientId) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.CLIENT_ID_CONFIG, clientId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        members.add(c);
        c.subscribe(List.of(topic));
        // every member polls until the group has settled with all of them (a join makes the others rejoin)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (members.stream().anyMatch(m -> m.assignment().isEmpty()) || members.stream().mapToInt(m -> m.assignment().size()).sum() != PARTITIONS) {
            assertThat(System.nanoTime()).as(clientId + " joined group " + group).isLessThan(deadline);
            members.forEach(m -> m.poll(Duration.ofMillis(50)));
        }
    }

    private static void awaitClients(FoldMembers fold, List<String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!clients(fold.current().join()).equals(expected)) {
            assertThat(System.nanoTime()).as("the look asked in the background shows " + expected).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // a poll's pace, not a wait for it
        }
    }

    private static List<String> clients(FoldView view) {
        assertThat(view.unavailable()).isNull();
        return view.members().stream().map(FoldMember::clientId).sorted().toList();
    }

    /** A clock that moves only when told. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
