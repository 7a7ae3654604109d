package io.coxswain.gateway.write;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import io.coxswain.commands.signing.CommandSigner;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's commands to the commands topic with an idempotent producer (acks=all), as
 * {@code CommandClient} does for services, from one thread so that a Kafka that is away never
 * blocks an HTTP event loop.
 *
 * <p>Why not transactions: a command is one record, so it is written whole or not at all without
 * one; DECIDE applies a command id at most once, so a re-sent command is harmless; and an open
 * transaction on a commands partition would hold back every read_committed reader of that
 * partition (the node included) until it commits: a Kafka commit round trip added to every
 * command, the gateway's and everybody else's. When Kafka is down the caller gets an answer within
 * about {@code sendTimeout}; a record Kafka never confirmed was most likely not written (the
 * producer is closed and its unsent records dropped), and the error says that re-sending the same
 * command id is safe either way.
 */
public final class CommandWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandWriter.class);

    /** Where a written command sits in the commands topic. */
    public record Written(int partition, long offset) {
    }

    private record Pending(Command command, byte[] value, long deadlineNanos, CompletableFuture<Written> result) {
    }

    private final Topics topics;
    private final AvroWireCodec<Command> codec;
    private final Duration sendTimeout;
    private final CommandSigner signer;
    private final Properties producerProps;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Set by a send's callback (the producer's own thread) to its producer; the writer thread then replaces that producer. */
    private volatile KafkaProducer<String, byte[]> failedProducer;
    private KafkaProducer<String, byte[]> producer;

    /** @param signer signs each command's value bytes (the node's {@code --signing-key}); null to write unsigned */
    public CommandWriter(String bootstrapServers, Topics topics, AvroWireCodec<Command> codec, Map<String, Object> clientOverrides,
                         Duration sendTimeout, String clientId, CommandSigner signer) {
        this.topics = topics;
        this.signer = signer;
        this.codec = codec;
        this.sendTimeout = sendTimeout;
        int timeoutMs = (int) sendTimeout.toMillis();
        producerProps = new Properties();
        producerProps.putAll(clientOverrides);
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        this.thread = new Thread(this::run, "coxswain-gateway-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes when Kafka has the command (acks=all); exceptionally with {@link KafkaUnavailableException} within about two send timeouts. */
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
            Pending next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (next != null) {
                send(next);
            }
        }
        failAll(queue, "the gateway is shutting down");
    }

    private void send(Pending pending) {
        if (System.nanoTime() - pending.deadlineNanos() > 0) {
            // it waited out its whole timeout behind an earlier send that blocked on a Kafka that is away
            pending.result().completeExceptionally(new KafkaUnavailableException(describe(pending.command()) + " was not written: Kafka did not take"
                    + " earlier commands within " + sendTimeout.toSeconds() + "s, so this one was not tried. Check that the bootstrap Kafka is up,"
                    + " then send it again.", null));
            return;
        }
        try {
            KafkaProducer<String, byte[]> p = producer();
            Headers headers = new RecordHeaders();
            if (signer != null) {
                signer.sign(headers, pending.value()); // here, not in submit(): keeps the signing off the HTTP event loop
            }
            p.send(new ProducerRecord<>(topics.commands(), null, pending.command().getClusterId(), pending.value(), headers), (metadata, error) -> {
                if (error == null) {
                    pending.result().complete(new Written(metadata.partition(), metadata.offset()));
                } else {
                    failedProducer = p;
                    pending.result().completeExceptionally(unconfirmed(pending, error));
                }
            });
        } catch (RuntimeException e) { // metadata not available within the send timeout, or the producer is closed
            log.warn("Writing {} to {} failed ({}); it was not written. Recreating the producer.", describe(pending.command()), topics.commands(), e.toString());
            pending.result().completeExceptionally(new KafkaUnavailableException(describe(pending.command()) + " was not written. Kafka said: "
                    + e.getMessage() + ". Check that the bootstrap Kafka is reachable, then send it again.", e));
            discardProducer();
        }
    }

    private KafkaUnavailableException unconfirmed(Pending pending, Exception error) {
        log.warn("Kafka did not confirm {} within {}s ({}); the producer will be recreated.", describe(pending.command()), sendTimeout.toSeconds(), error.toString());
        return new KafkaUnavailableException(describe(pending.command()) + " was not confirmed by Kafka within " + sendTimeout.toSeconds()
                + "s, so it was most likely not written. If it was, it will be processed once: sending it again with the same commandId is safe"
                + " either way. Kafka said: " + error.getMessage() + ". Check that the bootstrap Kafka is reachable.", error);
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer != null && failedProducer == producer) {
            discardProducer();
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Unsent records of a producer closed at once are dropped (their callers are told), so nothing refused appears later. */
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
        running = false; // the loop ends within one poll interval, after any send in progress
        try {
            thread.join(sendTimeout.toMillis() * 2 + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // sends what is already queued
            producer = null;
        }
    }
}
