package io.coxswain.avro.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The same value gives the same bytes whatever kind of map holds it: replay is compared byte for byte. */
class CanonicalDatumWriterTest {

    private static final Map<String, String> CONFIG = Map.of("retention.ms", "1000", "cleanup.policy", "compact",
            "min.insync.replicas", "2", "segment.bytes", "1048576", "a.first", "x");

    @Test
    void mapsAreWrittenInKeyOrderWhateverTheirIterationOrder() throws Exception {
        LinkedHashMap<String, String> reversed = new LinkedHashMap<>();
        new TreeMap<>(CONFIG).descendingMap().forEach(reversed::put);
        TreeMap<String, String> reverseComparator = new TreeMap<>(Collections.reverseOrder());
        reverseComparator.putAll(CONFIG);

        byte[] sorted = encode(new TreeMap<>(CONFIG));
        assertThat(encode(new HashMap<>(CONFIG))).isEqualTo(sorted);
        assertThat(encode(reversed)).isEqualTo(sorted);
        assertThat(encode(reverseComparator)).as("a sorted map in another order is sorted again").isEqualTo(sorted);
        assertThat(new String(sorted, java.nio.charset.StandardCharsets.UTF_8))
                .containsSubsequence("a.first", "cleanup.policy", "min.insync.replicas", "retention.ms", "segment.bytes");
    }

    private static byte[] encode(Map<String, String> config) throws Exception {
        TopicSpec topic = new TopicSpec(6, 3, config);
        CanonicalDatumWriter<TopicSpec> writer = new CanonicalDatumWriter<>(TopicSpec.getClassSchema(), SpecificData.getForClass(TopicSpec.class));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(topic, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
