package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.SchemaRegistries;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandSerializer;
import io.coxswain.commands.signing.SigningSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes observations to the command topic as {@code RecordObservation} commands, keyed by cluster
 * (so they take their place in the cluster's one order), with an idempotent {@code acks=all}
 * producer, and returns only once Kafka has them.
 */
public final class CommandLogSink implements ObservationSink, AutoCloseable {

    private final ExecutorConfig config;
    private final KafkaProducer<String, Command> producer;

    /** A sink whose serializer opens a schema registry of its own: for an executor's sink that runs alone (a test's). */
    public CommandLogSink(ExecutorConfig config) {
        this(config, new CommandSerializer());
    }

    /** A sink that encodes through {@code registry}, its caller's (a node's): it never closes it. */
    public CommandLogSink(ExecutorConfig config, SchemaRegistry registry) {
        this(config, new CommandSerializer(registry));
    }

    private CommandLogSink(ExecutorConfig config, CommandSerializer commands) {
        this.config = config;
        Map<String, Object> p = new HashMap<>(config.clientOverrides());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "coxswain-executor-" + config.observerId());
        p.put(SchemaRegistries.TOPIC_PREFIX, config.topics().prefix());
        if (config.schemaRegistryUrl() != null) {
            p.put(SchemaRegistries.REGISTRY_URL, config.schemaRegistryUrl());
        }
        // signed over the serialized bytes when the node has a signing key: see SigningSerializer
        Serializer<Command> serializer = config.signatures().signer() == null ? commands
                : new SigningSerializer(commands, config.signatures().signer());
        serializer.configure(p, false);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), serializer);
    }

    @Override
    public String record(String clusterId, Object observation) {
        Command command = Commands.on(clusterId).issuer("executor/" + config.observerId())
                .commandId(CauseTracker.OBSERVATION_PREFIX + UUID.randomUUID())
                .observation(config.observerId(), observation);
        try {
            producer.send(new ProducerRecord<>(config.topics().commands(), clusterId, command)).get(30, TimeUnit.SECONDS);
            return command.getCommandId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an observation of cluster " + clusterId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not record an observation of cluster " + clusterId + " on "
                    + config.topics().commands() + "; nothing was done: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
