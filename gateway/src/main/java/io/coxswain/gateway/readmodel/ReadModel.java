package io.coxswain.gateway.readmodel;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.orchestrator.topology.Codecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's read model: one consumer, with every partition of the state, events and commands
 * topics assigned (no consumer group), read_committed, from the beginning. So every gateway
 * instance holds the whole model and answers any query without asking another instance, and
 * nothing a query returns was ever rolled back. Queries never touch Kafka.
 *
 * <p>Every half second the consumer asks Kafka for the topics' end offsets; once it has read up to
 * them, the model is known to be complete as of the moment of that question ({@link Freshness}).
 * When Kafka is unreachable the model keeps serving what it has and the staleness grows.
 *
 * <p>A consistent read ({@link #caughtUpFromNow}) is asked within a poll's wait instead of at the next half second, and
 * is answered by the first question put to Kafka after it arrived: each question has a number, and a
 * reader waits for a catch-up to a question numbered after the last one it saw asked.
 */
public final class ReadModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadModel.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest a consistent read waits before its question to Kafka is put. Short rather than woken: a
     * {@code wakeup()} per consistent read would also abort the question itself when one is under way, and
     * a steady stream of reads could keep every question from being answered. An idle loop costs little (the
     * fetches it waits on are the same; 200 turns a second).
     */
    private static final Duration POLL_WAIT = Duration.ofMillis(5);

    private final Topics topics;
    private final ModelRecords records;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin offsets;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch firstSync = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Freshness freshness = new Freshness(null, false, -1);

    /** The question whose answer (end offsets) the consumer has not reached yet; null when caught up. */
    private Question target;
    /** How many times the end offsets were asked for; written by the reader thread only. */
    private volatile long questions;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** A consistent read: done once a question numbered above {@code lastAsked} is answered and caught up with. */
    private record Waiter(long lastAsked, CompletableFuture<Void> done) {
    }

    /** Question {@code number} for the end offsets, asked at {@code askedAt} and answered {@code end}. */
    private record Question(long number, Instant askedAt, Map<TopicPartition, Long> end) {
    }
    private Instant lastCheck = Instant.EPOCH;
    private boolean reportedUnreachable;
    /** Asked by {@link #holdStates}, done by the reader thread (the consumer is not thread-safe); null when nothing is asked. */
    private volatile Hold hold;
    /** Whether the state topic's partitions are paused; reader thread only. */
    private boolean statesHeld;

    private record Hold(boolean held, CompletableFuture<Void> done) {
    }

    public ReadModel(String bootstrapServers, Topics topics, Codecs codecs, Map<String, Object> clientOverrides, Clock clock) {
        this.topics = topics;
        this.records = new ModelRecords(topics, codecs);
        this.clock = clock;
        Properties p = new Properties();
        p.putAll(clientOverrides);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "coxswain-gateway-readmodel-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        // Decisions and states become readable when the fold's transaction markers land. A parked
        // read_committed fetch did not seem to be answered promptly then (the node's consumer saw
        // 44 ms average fetch latency at 1,000 commands/s with the default 500 ms wait, 10 ms with a
        // 5 ms wait); 10 ms bounds the wait for ~100 small fetches a second from an idle gateway.
        // Its effect on end-to-end latency is within this machine's noise so far (bench/).
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Properties a = new Properties();
        a.putAll(clientOverrides);
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, p.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-offsets");
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        this.offsets = Admin.create(a);
        this.thread = new Thread(this::run, "coxswain-gateway-readmodel");
        thread.setDaemon(true);
    }

    /** Registers a listener of every decision read (metrics); call before {@link #start}. */
    public void onDecision(Consumer<Decision> listener) {
        records.onDecision(listener);
    }

    public ReadModel start() {
        thread.start();
        return this;
    }

    /** Blocks until the model has caught up with Kafka once; false on timeout. */
    public boolean awaitFirstSync(Duration timeout) throws InterruptedException {
        return firstSync.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ClusterViews clusters() {
        return records.clusters();
    }

    public CommandLog commands() {
        return records.commands();
    }

    public Freshness freshness() {
        return freshness;
    }

    /**
     * Completes once the model holds every record that was committed to its topics when this was
     * called (so a change this or another gateway reported accepted before is readable here): the
     * model asks Kafka for its end offsets within {@link #POLL_WAIT} rather than at its next check, and catches up to
     * them; reads arriving meanwhile share the question.
     * It never completes while Kafka cannot be reached; the caller bounds the wait.
     */
    public CompletableFuture<Void> caughtUpFromNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.add(new Waiter(questions, done)); // asked within a poll's wait (POLL_WAIT)
        return done;
    }

    /**
     * Stops (true) or resumes reading the state topic while decisions and commands keep being read: the read model then
     * lags behind the decisions it reports, as it does when the state topic's leader is slow to serve it, which tests
     * cannot otherwise bring about on purpose. Returns once the reader thread has paused or resumed its partitions.
     */
    public void holdStates(boolean held) {
        Hold asked = new Hold(held, new CompletableFuture<>());
        hold = asked;
        try {
            asked.done().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the read model's thread did not " + (held ? "hold" : "resume") + " the state topic: " + e,
                    e);
        }
    }

    /** Pauses or resumes the state topic's partitions as {@link #holdStates} last asked; on the reader thread. */
    private void applyHold() {
        Hold asked = hold;
        if (asked == null) {
            return;
        }
        hold = null;
        if (asked.held() != statesHeld) {
            List<TopicPartition> states = consumer.assignment().stream().filter(tp -> tp.topic().equals(topics.state())).toList();
            if (asked.held()) {
                consumer.pause(states);
            } else {
                consumer.resume(states);
            }
            statesHeld = asked.held();
            log.warn("Read model: {} reading {}", asked.held() ? "holding back (on request)" : "resumed", topics.state());
        }
        asked.done().complete(null);
    }

    /** What the fold would decide for {@code c} against this model, writing nothing (see {@link Preview}). */
    public Preview preview(Command c) {
        return Preview.of(c, clusters().latest(c.getClusterId()), commands());
    }

    /** Records a command this gateway just committed (see {@link CommandLog#noteSubmitted}). */
    public void noteSubmitted(Command c, int partition, long offset) {
        commands().noteSubmitted(c, partition, offset);
    }

    private void run() {
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assign()) {
                    continue;
                }
                applyHold();
                // with consistent reads waiting, straight on to their question (or the catch-up after it)
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(waiters.isEmpty() ? POLL_WAIT : Duration.ZERO)) {
                    records.apply(record);
                }
                checkCaughtUp();
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Read model: error reading {}*, retrying: {}", topics.prefix(), e.toString());
                    pause();
                }
            }
        }
    }

    private boolean assign() {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(topics.state(), topics.events(), topics.commands())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_CALL_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                log.warn("Read model: topic {} not found yet; a Coxswain node creates it at start-up. Retrying.", topic);
                pause();
                return false;
            }
            infos.forEach(i -> all.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return true;
    }

    private void checkCaughtUp() {
        Instant now = clock.instant();
        waiters.removeIf(w -> w.done().isDone()); // timed out: while Kafka is away they would pile up, and keep it asked
        if (target != null && reached(target.end())) {
            markSynced(target.askedAt(), target.number());
            target = null;
        }
        if (target == null && (!waiters.isEmpty() || Duration.between(lastCheck, now).compareTo(CHECK_EVERY) >= 0)) {
            lastCheck = now;
            long question = questions + 1;
            questions = question; // before asking: a read that sees this number came earlier and waits for the next
            try {
                Map<TopicPartition, Long> end = endOffsets(consumer.assignment());
                if (reportedUnreachable) {
                    log.info("Read model: Kafka answers again; catching up");
                    reportedUnreachable = false;
                }
                long lag = lag(end);
                if (lag == 0) {
                    markSynced(now, question);
                } else {
                    target = new Question(question, now, end);
                    freshness = new Freshness(freshness.asOf(), true, lag);
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                freshness = new Freshness(freshness.asOf(), false, freshness.lagRecords());
                if (!reportedUnreachable) {
                    log.warn("Read model: Kafka did not answer within {}s; serving the last known state (as of {}) until it does",
                            KAFKA_CALL_TIMEOUT.toSeconds(), freshness.asOf());
                    reportedUnreachable = true;
                }
            }
        }
    }

    /**
     * The last stable offsets (what a read_committed reader can reach), asked on a connection of their own: the
     * consumer's connection to a broker also carries its fetch, which the broker holds up to fetch.max.wait.ms when
     * there is nothing new, and a broker answers one connection's requests in order, so a question asked there
     * waited for the fetch (10 ms a consistent read, measured).
     */
    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> end = new HashMap<>();
            offsets.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(KAFKA_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("end offsets not answered: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void markSynced(Instant asOf, long question) {
        freshness = new Freshness(asOf, true, 0);
        firstSync.countDown();
        // a waiter that timed out (done already) leaves too
        waiters.removeIf(w -> w.done().isDone() || (w.lastAsked() < question && w.done().complete(null)));
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return lag(end) == 0;
    }

    private long lag(Map<TopicPartition, Long> end) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            lag += Math.max(0, e.getValue() - consumer.position(e.getKey(), KAFKA_CALL_TIMEOUT));
        }
        return lag;
    }

    private void pause() {
        try {
            Thread.sleep(500); // back-off before retrying a failed Kafka call, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        waiters.forEach(w -> w.done().completeExceptionally(new IllegalStateException("the gateway is stopping")));
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        offsets.close(Duration.ofSeconds(2));
    }
}
