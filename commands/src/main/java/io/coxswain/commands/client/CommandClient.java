package io.coxswain.commands.client;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.SchemaRegistries;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.commands.Commands;
import io.coxswain.commands.nodes.FoldMembers;
import io.coxswain.commands.nodes.NodeGate;
import io.coxswain.commands.nodes.NodesBehind;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.commands.signing.CommandSigner;
import io.coxswain.commands.signing.SigningSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to the command topic and hands back the decision. The producer is idempotent with
 * {@code acks=all} and keys by cluster id (one total order per cluster); the outcome comes from
 * watching the events topic for the command's id, so it is the decision the log recorded. Before it writes a command it
 * checks, as the gateway does, that no fold node older than this client would fail to read it whole ({@link NodeGate}):
 * during a rolling upgrade such a send completes with {@link NodesBehindException} and writes nothing.
 */
public final class CommandClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandClient.class);

    private final Topics topics;
    private final Duration decisionTimeout;
    private final KafkaProducer<String, Command> producer;
    private final KafkaConsumer<String, byte[]> events;
    private final SchemaRegistry registry;
    private final AvroWireCodec<Decision> decisions;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Null when the builder turned the check off ({@link Builder#checkFoldNodes}). */
    private final NodeGate nodeGate;

    /** A sent command awaiting its decision; {@code offset} is where Kafka wrote it, -1 until it says (see {@link Commands#decides}). */
    private record Pending(CompletableFuture<Outcome> outcome, java.util.concurrent.atomic.AtomicLong offset) {
        boolean answeredBy(Decision d) {
            return Commands.decides(d, offset.get());
        }
    }
    private final Thread watcher;
    private volatile boolean running = true;

    private CommandClient(Builder b) {
        this.topics = b.topics;
        this.decisionTimeout = b.decisionTimeout;
        Map<String, Object> common = new HashMap<>(b.clientConfig);
        common.put("bootstrap.servers", b.bootstrapServers);
        common.put(SchemaRegistries.TOPIC_PREFIX, topics.prefix());
        if (b.schemaRegistryUrl != null) {
            common.put(SchemaRegistries.REGISTRY_URL, b.schemaRegistryUrl);
        }
        this.registry = SchemaRegistries.fromConfig(common);
        this.decisions = new AvroWireCodec<>(registry, Topics.valueSubject(topics.events()), Decision.class);

        Map<String, Object> producerConfig = new HashMap<>(common);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(decisionTimeout.toMillis(), 5_000));
        producerConfig.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(decisionTimeout.toMillis(), 30_000));
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(decisionTimeout.toMillis(), 10_000));
        // the default serializer encodes through this client's registry: one read of the schemas topic, not two
        Serializer<Command> serializer = b.valueSerializer != null ? b.valueSerializer : new CommandSerializer(registry);
        // signing wraps the serializer: the signature covers exactly the bytes it produced
        Serializer<Command> valueSerializer = b.signer != null ? new SigningSerializer(serializer, b.signer) : serializer;
        valueSerializer.configure(producerConfig, false);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), valueSerializer);

        Map<String, Object> consumerConfig = new HashMap<>(b.clientConfig);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // outcomes are readable once the fold's transaction commits; a short max wait bounds how long
        // a parked read_committed fetch can wait past that (see the gateway's ReadModel); overridable
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.events = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = events.partitionsFor(topics.events(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topics.events() + " does not exist on " + b.bootstrapServers
                    + ": start a Coxswain node against this Kafka first (it creates its topics)");
        }
        events.assign(partitions);
        events.seekToEnd(partitions);
        // Resolve the end positions now, so no decision that follows a send can be missed.
        partitions.forEach(tp -> events.position(tp, Duration.ofSeconds(30)));
        this.nodeGate = !b.checkFoldNodes ? null : new NodeGate(
                new FoldMembers("coxswain-command-client-nodes", b.bootstrapServers, b.clientConfig, b.foldGroup, Clock.systemUTC()),
                new AvroWireCodec<>(registry, Topics.valueSubject(topics.commands()), Command.class), "this CommandClient");
        this.watcher = new Thread(this::watch, "coxswain-command-client-events");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * Sends {@code command} and completes with its decision. Completes exceptionally with
     * {@link DecisionTimeoutException} if no decision arrives within the decision timeout, saying
     * whether and where the command was written, and with {@link NodesBehindException}, having written
     * nothing, while a fold node older than this client would not read the command whole.
     */
    public CompletionStage<Outcome> send(Command command) {
        CommandShape.requireValid(command);
        Optional<NodesBehind.Refusal> behind;
        try {
            behind = nodesBehind(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (behind.isPresent()) {
            return CompletableFuture.failedFuture(new NodesBehindException(command, behind.get()));
        }
        Pending waiting = pending.computeIfAbsent(command.getCommandId(),
                id -> new Pending(new CompletableFuture<>(), new java.util.concurrent.atomic.AtomicLong(-1)));
        CompletableFuture<Outcome> outcome = waiting.outcome();
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topics.commands(), command.getClusterId(), command), (metadata, error) -> {
            if (error != null) {
                written.completeExceptionally(error);
                pending.remove(command.getCommandId());
                outcome.completeExceptionally(new IllegalStateException("command " + command.getCommandId() + " (" + Commands.typeOf(command)
                        + " on cluster " + command.getClusterId() + ") was not written to " + topics.commands() + ": " + error.getMessage(), error));
            } else {
                waiting.offset().set(metadata.offset());
                written.complete(metadata);
            }
        });
        return outcome.orTimeout(decisionTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((o, error) -> {
            if (error == null) {
                return o;
            }
            pending.remove(command.getCommandId());
            if (error instanceof TimeoutException) {
                String where = written.isDone() && !written.isCompletedExceptionally()
                        ? "was written to " + topics.commands() + " partition " + written.join().partition() + " offset " + written.join().offset()
                        : "was not acknowledged by Kafka";
                throw new DecisionTimeoutException("command " + command.getCommandId() + " (" + Commands.typeOf(command) + " on cluster "
                        + command.getClusterId() + ") " + where + ", but no decision arrived on " + topics.events() + " within "
                        + decisionTimeout.toSeconds() + "s; is a Coxswain node running? Its decision will still be recorded when one is.");
            }
            throw error instanceof RuntimeException re ? re : new IllegalStateException(error);
        });
    }

    /**
     * Waits, on the caller's thread, for the look at the fold's group when there is none yet or the last is over 30 s old
     * (Kafka answers within 5 s; as {@code KafkaProducer.send} waits for metadata), so commands sent one after another are
     * still written in the order sent; a younger look is used at once ({@code FoldMembers}).
     */
    private Optional<NodesBehind.Refusal> nodesBehind(Command command) {
        if (nodeGate == null) {
            return Optional.empty();
        }
        try {
            return nodeGate.check(command).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private void watch() {
        while (running) {
            try {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(200))) {
                    try {
                        Decision d = decisions.decode(record.headers(), record.value());
                        Pending p = pending.get(d.getCommandId());
                        if (p != null && p.answeredBy(d) && pending.remove(d.getCommandId(), p)) {
                            p.outcome().complete(Outcome.of(d));
                        }
                    } catch (UndecodableRecordException e) {
                        log.warn("Skipping undecodable record at {}-{} offset {}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Error watching {} for decisions, retrying: {}", topics.events(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        events.wakeup();
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
        if (nodeGate != null) {
            nodeGate.members().close();
        }
        registry.close();
    }

    public static final class Builder {
        private final String bootstrapServers;
        private Topics topics = Topics.defaults();
        private Duration decisionTimeout = Duration.ofSeconds(30);
        private String schemaRegistryUrl;
        private Serializer<Command> valueSerializer;
        private CommandSigner signer;
        private String foldGroup = FoldMembers.DEFAULT_GROUP;
        private boolean checkFoldNodes = true;
        private final Map<String, Object> clientConfig = new HashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder topics(Topics topics) {
            this.topics = topics;
            return this;
        }

        public Builder decisionTimeout(Duration timeout) {
            this.decisionTimeout = timeout;
            return this;
        }

        /** A Confluent-compatible registry; without one, Coxswain's schema topic is used. */
        public Builder schemaRegistryUrl(String url) {
            this.schemaRegistryUrl = url;
            return this;
        }

        /** Replace the value serializer (for example with Confluent's KafkaAvroSerializer). */
        public Builder valueSerializer(Serializer<Command> serializer) {
            this.valueSerializer = serializer;
            return this;
        }

        /**
         * Signs every command with this key (a {@code coxswain.signature} header over the value bytes as
         * serialized); needed where the nodes run with {@code --require-signatures}. Works with any value
         * serializer, Confluent's included.
         */
        public Builder signer(CommandSigner signer) {
            this.signer = signer;
            return this;
        }

        /**
         * The fold nodes' application id ({@code --application-id}; {@value FoldMembers#DEFAULT_GROUP} unless set), the
         * consumer group whose members the client looks at before it writes a command.
         */
        public Builder foldGroup(String applicationId) {
            this.foldGroup = applicationId;
            return this;
        }

        /**
         * Whether to check, before writing a command, that no fold node older than this client would fail to read it
         * whole (on by default). The check describes the fold's group, which takes {@code Describe} on that group; a
         * client without it is never blocked (each look logs why it could not check), and a service that will not be
         * granted it can turn the check off: the fold node then rejects such a command after it is written, as before.
         */
        public Builder checkFoldNodes(boolean check) {
            this.checkFoldNodes = check;
            return this;
        }

        /** Extra Kafka client settings (security, timeouts). */
        public Builder clientConfig(String key, Object value) {
            clientConfig.put(key, value);
            return this;
        }

        public CommandClient build() {
            return new CommandClient(this);
        }
    }
}
