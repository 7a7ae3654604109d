package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.RefusalsInTheWay.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalsInTheWayTest {

    private static final String OPERATION = """
            "operation": {"reason": "cluster c: RollingUpgrade (rolling upgrade to Kafka 4.2.0) waits and will not run: no Kafka",
                          "since": "2026-01-01T10:00:00Z", "commandId": "up-1"}""";
    private static final String TOPICS = """
            "topics": {"reason": "cluster c: topic orders not created, and will not be: no Kafka", "since": "2026-01-01T10:00:00Z",
                       "commandId": "t-1"}""";
    private static final String OFFSET_RESETS = """
            "offsetResets": {"reason": "cluster c: offset reset of consumer group billing not carried out, and will not be: no Kafka",
                             "since": "2026-01-01T10:01:00Z", "commandId": "reset-1"}""";
    private static final String NAMESPACE = """
            "namespace": {"reason": "cluster c: namespace kafka-c is Coxswain's own; move the cluster", "since": "2026-01-01T10:00:00Z"}""";
    private static final String MESSAGE_MAX_BYTES_REFUSED = """
            "brokerConfig/cluster-default": {"reason": "Kafka refused message.max.bytes=-5 on the cluster default: Invalid value -5",
                                             "since": "2026-01-01T10:00:00Z", "commandId": "cfg-1"}""";

    /** A cluster as GET /v1/clusters/{id} has it: its broker settings and its refusals, each a fixture above. */
    private static JsonNode cluster(String brokerConfig, String... refusals) {
        try {
            return GatewayClient.JSON.readTree("{\"spec\": {\"brokerConfig\": " + brokerConfig + "}, \"status\": {\"phase\": \"Ready\","
                    + " \"executorRefusals\": {" + String.join(", ", refusals) + "}}}");
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The keys of the refusals in the way, in key order. */
    private static List<String> keys(JsonNode refusals) {
        List<String> keys = new ArrayList<>();
        refusals.fieldNames().forEachRemaining(keys::add);
        return keys.stream().sorted().toList();
    }

    @Test
    void aRefusalFromBeforeTheWaitIsWaitedPastUntilTheChangeIsActedOnThenItIsInTheWay() {
        JsonNode before = cluster("{}", TOPICS);
        JsonNode now = cluster("{}", TOPICS);
        assertThat(RefusalsInTheWay.of(Scope.EVERYTHING, before, now, false)).as("the change may delete the topic").isEmpty();
        assertThat(keys(RefusalsInTheWay.of(Scope.EVERYTHING, before, now, true))).as("acted on, and still refused").containsExactly("topics");
    }

    @Test
    void aRefusalNewSinceTheWaitBeganIsInTheWayBeforeTheChangeIsActedOnAndBringsTheOthersOfItsScopeAlong() {
        JsonNode before = cluster("{}", TOPICS);
        JsonNode now = cluster("{}", TOPICS, OPERATION);
        assertThat(keys(RefusalsInTheWay.of(Scope.EVERYTHING, before, now, false))).containsExactly("operation", "topics");
        JsonNode reworded = cluster("{}", TOPICS.replace("topic orders", "topics audit, orders (2)"));
        assertThat(keys(RefusalsInTheWay.of(Scope.EVERYTHING, before, reworded, false))).as("refused anew: the executor looked since")
                .containsExactly("topics");
    }

    @Test
    void aLiveKeyKafkaRefusedIsInTheWayAtOnceWhileTheStateStillAsksItAsRefusedAndWaitedPastOnceAChangeCorrectsIt() {
        JsonNode before = cluster("{\"message.max.bytes\": \"-5\"}", MESSAGE_MAX_BYTES_REFUSED);
        JsonNode stillAsked = cluster("{\"message.max.bytes\": \"-5\", \"log.retention.ms\": \"1000\"}", MESSAGE_MAX_BYTES_REFUSED);
        assertThat(keys(RefusalsInTheWay.of(Scope.EVERYTHING, before, stillAsked, false))).containsExactly("brokerConfig/cluster-default");
        JsonNode corrected = cluster("{\"message.max.bytes\": \"2000000\"}", MESSAGE_MAX_BYTES_REFUSED);
        assertThat(RefusalsInTheWay.of(Scope.EVERYTHING, before, corrected, false)).as("the executor has not answered the fix yet").isEmpty();
        assertThat(RefusalsInTheWay.of(Scope.OPERATION, before, stillAsked, true)).as("an operation starts beside a refused live key").isEmpty();
    }

    @Test
    void anOperationIsHeldUpOnlyByTheOperationRefusalOrOneOnTheWholeCluster() {
        JsonNode before = cluster("{}");
        assertThat(RefusalsInTheWay.of(Scope.OPERATION, before, cluster("{}", TOPICS, OFFSET_RESETS), true)).isEmpty();
        assertThat(keys(RefusalsInTheWay.of(Scope.OPERATION, before, cluster("{}", TOPICS, OPERATION), true))).containsExactly("operation");
        assertThat(keys(RefusalsInTheWay.of(Scope.OPERATION, before, cluster("{}", NAMESPACE, TOPICS), false))).containsExactly("namespace");
    }

    @Test
    void anOffsetResetIsHeldUpOnlyByTheOffsetResetsRefusalOrOneOnTheWholeCluster() {
        JsonNode before = cluster("{}", OPERATION);
        assertThat(RefusalsInTheWay.of(Scope.OFFSET_RESET, before, cluster("{}", OPERATION, TOPICS), true)).as("resets go on beside them")
                .isEmpty();
        assertThat(keys(RefusalsInTheWay.of(Scope.OFFSET_RESET, before, cluster("{}", OPERATION, OFFSET_RESETS), false)))
                .containsExactly("offsetResets");
        assertThat(keys(RefusalsInTheWay.of(Scope.OFFSET_RESET, cluster("{}", NAMESPACE), cluster("{}", NAMESPACE), true)))
                .containsExactly("namespace");
        assertThat(RefusalsInTheWay.of(Scope.NOTHING, before, cluster("{}", NAMESPACE, OFFSET_RESETS), true)).as("a state record only")
                .isEmpty();
    }

    @Test
    void eachRefusalReadsAsCoxGetsBlockedLine() {
        JsonNode refusals = cluster("{}", NAMESPACE, OFFSET_RESETS).at("/status/executorRefusals");
        assertThat(RefusalsInTheWay.lines(refusals)).containsExactly(
                "Blocked: namespace: cluster c: namespace kafka-c is Coxswain's own; move the cluster (since 2026-01-01T10:00:00Z)",
                "Blocked: offsetResets: cluster c: offset reset of consumer group billing not carried out, and will not be: no Kafka"
                        + " (since 2026-01-01T10:01:00Z, command reset-1)");
    }
}
