package io.coxswain.commands.client;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.SchemaRegistries;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.wire.AvroWireCodec;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for {@link Command} in the Confluent wire format. Configured like Confluent's
 * {@code KafkaAvroSerializer} ({@code schema.registry.url}), or, without a URL, against the
 * Coxswain schema topic on {@code bootstrap.servers}. Being a plain {@code value.serializer} class
 * name, it can be swapped for Confluent's own serializer.
 */
public final class CommandSerializer implements Serializer<Command> {

    private SchemaRegistry registry;
    /** The registry {@link #configure} opened, which {@link #close} closes; null when the serializer was given one. */
    private SchemaRegistry owned;
    private AvroWireCodec<Command> codec;

    /** Opens a registry of its own at {@link #configure}, from the configuration, as when Kafka makes it from its class name. */
    public CommandSerializer() {
    }

    /**
     * Encodes through {@code registry}, which stays its giver's to close: a process that already has one open (a node, a
     * CommandClient) does not read the schemas topic again for its serializer.
     */
    public CommandSerializer(SchemaRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            owned = SchemaRegistries.fromConfig(configs);
            registry = owned;
        }
        Object prefix = configs.get(SchemaRegistries.TOPIC_PREFIX);
        Topics topics = new Topics(prefix == null ? Topics.DEFAULT_PREFIX : prefix.toString());
        codec = new AvroWireCodec<>(registry, Topics.valueSubject(topics.commands()), Command.class);
    }

    @Override
    public byte[] serialize(String topic, Command command) {
        if (codec == null) {
            throw new IllegalStateException("CommandSerializer used before configure()");
        }
        return command == null ? null : codec.encode(command);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
