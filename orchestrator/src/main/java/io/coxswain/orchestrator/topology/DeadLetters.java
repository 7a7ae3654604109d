package io.coxswain.orchestrator.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers carried by a dead-lettered record. The key and value are the original bytes, untouched,
 * so a fixed record can be re-produced from them; the headers say where it came from and why.
 */
public final class DeadLetters {

    public static final String REASON = "coxswain.deadletter.reason";
    public static final String TOPIC = "coxswain.deadletter.topic";
    public static final String PARTITION = "coxswain.deadletter.partition";
    public static final String OFFSET = "coxswain.deadletter.offset";

    private DeadLetters() {
    }

    public static Headers headers(Headers original, String reason, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
