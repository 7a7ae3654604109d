package io.coxswain.avro.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.state.TopicSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codec remembers the writer schemas it has resolved; what it must not remember is a failure:
 * a schema registered after a first miss is found, and a record of the wrong type stays refused.
 */
class AvroWireCodecTest {

    private static final String SUBJECT = "topics-value";

    private final InMemorySchemaRegistry writerSide = new InMemorySchemaRegistry();
    private final InMemorySchemaRegistry readerSide = new InMemorySchemaRegistry();

    @Test
    void aSchemaUnknownToTheReaderIsUndecodableUntilItIsRegistered() {
        writerSide.register(SUBJECT, TopicSpec.getClassSchema());
        byte[] bytes = new AvroWireCodec<>(writerSide, SUBJECT, TopicSpec.class).encode(new TopicSpec(6, 3, Map.of("retention.ms", "-1")));
        AvroWireCodec<TopicSpec> reader = new AvroWireCodec<>(readerSide, SUBJECT, TopicSpec.class);

        assertThatThrownBy(() -> reader.decode(bytes)).isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("unknown schema id").hasMessageContaining("not in the schema registry");

        readerSide.register(SUBJECT, TopicSpec.getClassSchema());
        TopicSpec decoded = reader.decode(bytes);
        assertThat(decoded.getPartitions()).isEqualTo(6);
        assertThat(decoded.getReplicationFactor()).isEqualTo(3);
        assertThat(decoded.getConfig()).containsExactly(Map.entry("retention.ms", "-1"));
        assertThat(reader.decode(bytes).getPartitions()).as("decoded again, from the remembered schema").isEqualTo(6);
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedEveryTime() {
        writerSide.register("accepted-value", CommandAccepted.getClassSchema());
        writerSide.register(SUBJECT, TopicSpec.getClassSchema());
        byte[] accepted = new AvroWireCodec<>(writerSide, "accepted-value", CommandAccepted.class).encode(new CommandAccepted(7L, 0));
        AvroWireCodec<TopicSpec> topics = new AvroWireCodec<>(writerSide, SUBJECT, TopicSpec.class);

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> topics.decode(accepted)).as("attempt %d", attempt)
                    .isInstanceOf(UndecodableRecordException.class)
                    .hasMessageContaining("wrong record type for this topic")
                    .hasMessageContaining("CommandAccepted");
        }
    }
}
