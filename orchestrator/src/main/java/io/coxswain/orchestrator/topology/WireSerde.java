package io.coxswain.orchestrator.topology;

import io.coxswain.avro.wire.AvroWireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Explicit Kafka serde over an {@link AvroWireCodec}; no registry lookups hidden in global config. */
public final class WireSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroWireCodec<T> codec;

    public WireSerde(AvroWireCodec<T> codec) {
        this.codec = codec;
    }

    public AvroWireCodec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : codec.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return data == null ? null : codec.decode(data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                // Values this serde reads were written by its serializer, always framed (0x00 + id). Kafka
                // Streams hands state-store serdes the headers of the record being processed: a command sent
                // with a __value_schema_id header would otherwise be taken as the stored value's schema.
                return data == null ? null : codec.decode(data);
            }
        };
    }
}
