package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.TopicRefusalObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.state.TopicRefusalStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FOLD of TopicsRefusedObserved through the real topology: the topics Kafka refuses land in status.topicRefusals with
 * Kafka's reason, keep when they were first refused, and leave when the executor says so or the topic is deleted.
 */
class TopicRefusalRulesTopologyTest {

    private static final String UNPARSABLE = "InvalidConfigurationException: Invalid value abc for configuration retention.ms";
    private static final String NOT_ONE_OF = "InvalidConfigurationException: Invalid value compactt for configuration cleanup.policy";

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createPayments() {
        acceptedVersion(h.send(h.on("payments").createCluster("4.1.0", 3, 3, "10Gi")));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void refused(Map<String, TopicRefusalObserved> topics) {
        acceptedVersion(h.send(h.on("payments").observation("exec", new TopicsRefusedObserved(topics))));
    }

    private Map<String, TopicRefusalStatus> refusals() {
        return h.state("payments").getStatus().getTopicRefusals();
    }

    @Test
    void aRefusedTopicIsShownWithKafkasReasonSinceItWasFirstRefusedUntilTheExecutorSaysItIsFixed() {
        // the fold checks a key's syntax, not its value: Kafka is the judge, and the executor reports what it says
        acceptedVersion(h.send(h.on("payments").commandId("bad").createTopic("orders", 6, 3, Map.of("retention.ms", "abc"))));
        long intent = h.state("payments").getIntentVersion();
        String phase = h.state("payments").getStatus().getPhase();

        refused(Map.of("orders", new TopicRefusalObserved(UNPARSABLE, "bad"), "gone", new TopicRefusalObserved(UNPARSABLE, null)));
        TopicRefusalStatus first = refusals().get("orders");
        assertThat(refusals()).as("a topic the state does not have is not shown").containsOnlyKeys("orders");
        assertThat(first.getReason()).isEqualTo(UNPARSABLE);
        assertThat(first.getCommandId()).isEqualTo("bad");
        assertThat(first.getSince()).isEqualTo(first.getUpdatedAt());
        assertThat(h.state("payments").getIntentVersion()).as("a report is no change asked for").isEqualTo(intent);
        assertThat(h.state("payments").getStatus().getPhase()).as("reported beside the phase, not in it").isEqualTo(phase);

        // another answer for the same topic: still refused since the first one
        refused(Map.of("orders", new TopicRefusalObserved(NOT_ONE_OF, "typo")));
        TopicRefusalStatus later = refusals().get("orders");
        assertThat(later.getReason()).isEqualTo(NOT_ONE_OF);
        assertThat(later.getCommandId()).isEqualTo("typo");
        assertThat(later.getSince()).isEqualTo(first.getSince());
        assertThat(later.getUpdatedAt()).isAfter(first.getUpdatedAt());

        refused(Map.of());
        assertThat(refusals()).as("created and configured as asked").isEmpty();
    }

    @Test
    void deletingARefusedTopicClearsItsRefusal() {
        acceptedVersion(h.send(h.on("payments").createTopic("orders", 6, 3, Map.of("retention.ms", "abc"))));
        acceptedVersion(h.send(h.on("payments").createTopic("audit", 1, 3, Map.of("cleanup.policy", "compactt"))));
        refused(Map.of("orders", new TopicRefusalObserved(UNPARSABLE, null), "audit", new TopicRefusalObserved(NOT_ONE_OF, null)));

        acceptedVersion(h.send(h.on("payments").deleteTopic("orders")));
        assertThat(refusals()).containsOnlyKeys("audit");
    }
}
