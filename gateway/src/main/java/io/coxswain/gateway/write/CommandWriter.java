package io.coxswain.gateway.write;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's commands to the commands topic in Kafka transactions, several at a time
 * (group commit), from one thread.
 *
 * <p>Why transactions: the node and every reader consume read_committed, so a command is either
 * committed and then processed, or never seen at all. When Kafka is down, the caller gets an
 * answer within a bounded time ({@code sendTimeout} for the attempt, at most one earlier attempt
 * of waiting), and a transaction that did not commit is aborted (a later producer with the same
 * transactional id fences it, or the coordinator times it out), so nothing half-written appears
 * later. The one ambiguous case, Kafka losing the answer to a commit it performed, is named in the
 * error: re-sending the same command id is always safe, since repeated ids are never applied twice.
 */
public final class CommandWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandWriter.class);
    private static final int MAX_BATCH = 200;

    /** Where a committed command sits in the commands topic. */
    public record Written(int partition, long offset) {
    }

    private record Pending(Command command, byte[] value, long deadlineNanos, CompletableFuture<Written> result) {
    }

    private final Topics topics;
    private final AvroWireCodec<Command> codec;
    private final Duration sendTimeout;
    private final Properties producerProps;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private KafkaProducer<String, byte[]> producer;

    public CommandWriter(String bootstrapServers, Topics topics, AvroWireCodec<Command> codec, Map<String, Object> clientOverrides,
                         Duration sendTimeout, String transactionalId) {
        this.topics = topics;
        this.codec = codec;
        this.sendTimeout = sendTimeout;
        int timeoutMs = (int) sendTimeout.toMillis();
        producerProps = new Properties();
        producerProps.putAll(clientOverrides);
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Transactions v2 bump the producer epoch at every commit; with several requests in flight the
        // next transaction's batches can reach the broker ahead of its first one and are refused
        // (OutOfOrderSequenceException), retried after a backoff: each group commit then costs
        // hundreds of milliseconds. One request in flight keeps them in order (see CoxswainNode).
        producerProps.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        // short, so that a gateway that dies mid-transaction holds up read_committed readers only briefly
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(10_000, 3 * timeoutMs));
        this.thread = new Thread(this::run, "coxswain-gateway-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes when the command is committed; exceptionally with {@link KafkaUnavailableException} within about two send timeouts. */
    public CompletableFuture<Written> submit(Command command) {
        CompletableFuture<Written> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the gateway is shutting down; send command " + command.getCommandId() + " again"));
            return result;
        }
        byte[] value = codec.encode(command);
        queue.add(new Pending(command, value, System.nanoTime() + sendTimeout.toNanos(), result));
        return result;
    }

    private void run() {
        while (running) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                break;
            }
            batch = dropExpired(batch);
            if (!batch.isEmpty()) {
                write(batch);
            }
        }
        failAll(queue, "the gateway is shutting down");
    }

    /** Requests that waited out their whole timeout behind an earlier failing attempt are answered without another one. */
    private List<Pending> dropExpired(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> live = new ArrayList<>();
        for (Pending p : batch) {
            if (now - p.deadlineNanos() > 0) {
                p.result().completeExceptionally(new KafkaUnavailableException(describe(p.command()) + " was not written: Kafka did not take earlier commands within "
                        + sendTimeout.toSeconds() + "s, so this one was not tried. Check that the bootstrap Kafka is up, then send it again.", null));
            } else {
                live.add(p);
            }
        }
        return live;
    }

    private void write(List<Pending> batch) {
        boolean committing = false;
        try {
            KafkaProducer<String, byte[]> p = producer();
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Pending pending : batch) {
                sent.add(p.send(new ProducerRecord<>(topics.commands(), pending.command().getClusterId(), pending.value())));
            }
            committing = true;
            p.commitTransaction();
            for (int i = 0; i < batch.size(); i++) {
                RecordMetadata m = sent.get(i).get(); // done: the commit flushed every send
                batch.get(i).result().complete(new Written(m.partition(), m.offset()));
            }
        } catch (Exception e) {
            String outcome = committing
                    ? "may not have been written (Kafka did not confirm the commit within " + sendTimeout.toSeconds()
                    + "s). If it was, it will be processed; sending it again with the same commandId is safe either way"
                    : "was not written";
            log.warn("Writing {} command(s) to {} failed ({}); they {}. Recreating the producer.", batch.size(), topics.commands(), e.toString(), outcome);
            for (Pending pending : batch) {
                pending.result().completeExceptionally(new KafkaUnavailableException(describe(pending.command()) + " " + outcome
                        + ". Kafka said: " + e.getMessage() + ". Check that the bootstrap Kafka is reachable.", e));
            }
            discardProducer();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
            try {
                // with the same transactional id, this also aborts whatever an earlier producer left open
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private static String describe(Command c) {
        return "command " + c.getCommandId() + " (" + Commands.typeOf(c) + " on cluster " + c.getClusterId() + ")";
    }

    private static void failAll(BlockingQueue<Pending> queue, String why) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new IllegalStateException(describe(p.command()) + " was not written: " + why + "; send it again"));
        }
    }

    @Override
    public void close() {
        running = false; // the loop ends within one poll interval, after any write in progress
        try {
            thread.join(sendTimeout.toMillis() * 2 + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
