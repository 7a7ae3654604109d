package io.coxswain.commands.signing;

import io.coxswain.avro.command.Command;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Wraps any command serializer (Coxswain's or Confluent's) and signs the bytes it produced: the Kafka
 * producer hands the record's headers to the value serializer before it sends, so the signature goes
 * into the header of the very record whose bytes it covers.
 */
public final class SigningSerializer implements Serializer<Command> {

    private final Serializer<Command> delegate;
    private final CommandSigner signer;

    public SigningSerializer(Serializer<Command> delegate, CommandSigner signer) {
        this.delegate = delegate;
        this.signer = signer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, Command command) {
        throw new IllegalStateException("a signed command needs its record's headers; the Kafka producer passes them, call serialize(topic, headers, command)");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Command command) {
        byte[] value = delegate.serialize(topic, headers, command);
        if (value != null) {
            signer.sign(headers, value);
        }
        return value;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
