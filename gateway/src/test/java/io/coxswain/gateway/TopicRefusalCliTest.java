package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code cox get} shows of status.topicRefusals, the topics Kafka refuses as the executor reports them in
 * TopicsRefusedObserved (CoxCliTest's way of running cox): the reason, since when, the command, and the way out for its kind;
 * and what the executor refuses (ExecutorRefusalsObserved): a Blocked line per key, and the keys in the list's BLOCKED column.
 */
class TopicRefusalCliTest extends CoxCliHarness {

    private static final String SECTION = "Topics Kafka refuses";
    private static final String REASON = "InvalidConfigurationException: Invalid value abc for configuration retention.ms: Not a number of type LONG";

    @Test
    void getShowsARefusedTopicWithKafkasReasonAndTheFixUntilTheExecutorSaysItIsCreated() throws Exception {
        assertThat(cox("create-cluster", "shop", "--kafka-version", "4.1.0").code()).isZero();
        Run created = cox("topic", "create", "shop", "orders", "--partitions", "3", "--replication-factor", "1", "--config", "retention.ms=abc");
        assertThat(created.code()).as("the fold checks the key, Kafka the value: " + created.err()).isZero();
        assertThat(cox("get", "shop").out()).as("nothing refused yet: nothing said").doesNotContain(SECTION);
        assertThat(cox("topic", "create", "--help").out()).contains("cox get CLUSTER lists a topic Kafka refuses");

        h.observe("shop", "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":\"" + REASON + "\",\"commandId\":\"c-7\"}}}");
        JsonNode refusal = GatewayHarness.JSON.readTree(cox("get", "shop", "-o", "json").out()).at("/status/topicRefusals/orders");
        assertThat(refusal.get("reason").asText()).isEqualTo(REASON);
        String since = refusal.get("since").asText();
        String shown = cox("get", "shop").out();
        assertThat(shown).contains("\n" + SECTION + " (not created, changed or deleted as asked; the cluster's changes are not acted on until fixed):\n"
                + "  orders: " + REASON + " (since " + since + ", command c-7)\n"
                + "    fix it: cox topic update shop orders --set KEY=VALUE | --remove KEY, or drop it: cox topic delete shop orders\n");
        assertThat(shown.chars().allMatch(ch -> ch < 128)).as("ASCII only").isTrue();

        h.observe("shop", "{\"type\":\"TopicsRefusedObserved\",\"topics\":{}}");
        assertThat(cox("get", "shop").out()).as("created as asked: nothing said").doesNotContain(SECTION);

        // a deletion Kafka refuses stays listed though the state no longer has the topic, with its own way out
        assertThat(cox("topic", "delete", "shop", "orders").code()).isZero();
        h.observe("shop", "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":\"DeleteTopic refused: "
                + "TopicDeletionDisabledException: Topic deletion is disabled.\",\"commandId\":\"c-9\"}}}");
        assertThat(cox("get", "shop").out()).contains("  orders: DeleteTopic refused: TopicDeletionDisabledException: Topic deletion is disabled."
                + " (since ").contains(", command c-9)\n    let Kafka delete it (delete.topic.enable=true, or the policy it names), or keep it:"
                + " cox topic create shop orders ...\n");
    }

    @Test
    void getPrintsWhatTheExecutorRefusesOneBlockedLineEachUntilTheSetIsEmpty() throws Exception {
        assertThat(cox("create-cluster", "blocked", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("get", "blocked").out()).as("nothing refused: nothing said").doesNotContain("Blocked:");
        String refused = "Kafka refused message.max.bytes=-5 on the cluster default: InvalidRequestException: Invalid value -5 for"
                + " configuration message.max.bytes: Value must be at least 0; tried again after a growing delay (at most 10 min). Fix the"
                + " value with cox config set blocked KEY=VALUE, or drop it with cox config remove blocked KEY (UpdateBrokerConfig)";
        String namespace = "its namespace coxswain is the namespace Coxswain runs in: run the executors with another --namespace-template";
        h.observe("blocked", "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{\"namespace\":{\"reason\":\"" + namespace
                + "\"},\"brokerConfig/cluster-default\":{\"reason\":\"" + refused + "\",\"commandId\":\"c-3\"}}}");
        JsonNode blocked = GatewayHarness.JSON.readTree(cox("get", "blocked", "-o", "json").out())
                .at("/status/executorRefusals/brokerConfig~1cluster-default");
        assertThat(blocked.get("reason").asText()).as("the gateway's JSON has it").isEqualTo(refused);
        assertThat(cox("get", "blocked").out()).contains("\nBlocked: brokerConfig/cluster-default: " + refused + " (since "
                + blocked.get("since").asText() + ", command c-3)\n");
        assertThat(listed("blocked").get("blocked")).as("the list's summary names the keys, sorted")
                .hasToString("[\"brokerConfig/cluster-default\",\"namespace\"]");
        assertThat(cox("get", "blocked").out()).contains("\nBlocked: namespace: " + namespace + " (since ");
        Map<String, String> row = row("blocked");
        assertThat(row).as("the list names the keys in a column of their own, PHASE kept one word")
                .containsEntry("BLOCKED", "brokerConfig/cluster-default,namespace")
                .containsEntry("PHASE", h.get("/v1/clusters/blocked").json().at("/status/phase").asText());

        h.observe("blocked", "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{}}");
        assertThat(cox("get", "blocked").out()).as("Kafka took the fix: nothing said").doesNotContain("Blocked:");
        assertThat(listed("blocked").has("blocked")).isFalse();
        assertThat(row("blocked")).containsEntry("BLOCKED", "-");
    }

    @Test
    void waitStopsAtOnceAtALiveKeyRefusedBeforeItsChangeThatTheStateStillAsksAndWaitsPastOneTheChangeCorrects() {
        assertThat(cox("create-cluster", "stale", "--kafka-version", "4.1.0", "--config", "message.max.bytes=2000000").code()).isZero();
        String refused = "Kafka refused message.max.bytes=2000000 on the cluster default: PolicyViolationException: no; tried again after a"
                + " growing delay (at most 10 min). Fix the value with cox config set stale KEY=VALUE, or drop it with cox config remove stale KEY"
                + " (UpdateBrokerConfig)";
        h.observe("stale", "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{\"brokerConfig/cluster-default\":{\"reason\":\"" + refused
                + "\",\"commandId\":\"c-1\"}}}");

        // a topic does not touch the refused key: the executor acts on no change while it stands, so waiting cannot help
        assertThat(cox("topic", "create", "stale", "orders", "--partitions", "1", "--replication-factor", "1").code()).isZero();
        long started = System.nanoTime();
        Run wait = cox("wait", "stale", "--timeout", "60s");
        assertThat(wait.code()).as(wait.out() + wait.err()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("at once, not at the timeout").isLessThan(Duration.ofSeconds(30));
        assertThat(wait.err()).contains("stale will not get there by waiting", "Blocked: brokerConfig/cluster-default: " + refused);

        // a change that corrects it may lift it: waited past until the executor answers (here none does)
        assertThat(cox("config", "set", "stale", "message.max.bytes=1000000").code()).isZero();
        Run past = cox("wait", "stale", "--timeout", "2s");
        assertThat(past.code()).as(past.out() + past.err()).isEqualTo(7); // not done in time
    }

    /** {@code cluster}'s row in the table cox get prints, by column: cells are set apart by at least three spaces. */
    private static Map<String, String> row(String cluster) throws Exception {
        List<String[]> lines = cox("get").out().lines().map(l -> l.split(" {3,}")).toList();
        String[] row = lines.stream().filter(l -> l[0].equals(cluster)).findFirst().orElseThrow(() -> new AssertionError(cluster + " is not listed"));
        Map<String, String> cells = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            cells.put(lines.get(0)[i], row[i]);
        }
        return cells;
    }

    /** {@code cluster}'s summary in the list cox get -o json prints (GET /v1/clusters). */
    private static JsonNode listed(String cluster) throws Exception {
        for (JsonNode c : GatewayHarness.JSON.readTree(cox("get", "-o", "json").out())) {
            if (c.get("clusterId").asText().equals(cluster)) {
                return c;
            }
        }
        throw new AssertionError(cluster + " is not listed");
    }
}
