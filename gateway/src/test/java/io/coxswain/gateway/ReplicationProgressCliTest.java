package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * What {@code cox get} shows of status.replication, the topics whose replication factor is being changed, as the
 * executor reports them in ReplicationObserved (CoxCliTest's way of running cox); and where
 * {@code cox topic replication-factor} says to follow it.
 */
class ReplicationProgressCliTest extends CoxCliHarness {

    private static final String SECTION = "Replication factor changes:";
    private static final String TOO_FEW = "replication factor 3 needs 3 brokers up to place replicas on; up now: [1, 2]";

    /** A ReplicationObserved with {@code orders} alone, or none when {@code partitions} is 0. */
    private static void replicationObserved(String cluster, int partitions, int atFactor, int moving, String blocked) {
        String topics = partitions == 0 ? "{}" : "{\"orders\":{\"factor\":3,\"partitions\":" + partitions + ",\"atFactor\":" + atFactor
                + ",\"moving\":" + moving + ",\"blocked\":" + (blocked == null ? "null" : "\"" + blocked + "\"") + "}}";
        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":" + topics + "}");
    }

    private static JsonNode replication(String cluster) throws Exception {
        return GatewayHarness.JSON.readTree(cox("get", cluster, "-o", "json").out()).at("/status/replication");
    }

    @Test
    void getShowsATopicsProgressWhileItsFactorChangesAndNothingOnceEveryPartitionHasIt() throws Exception {
        assertThat(cox("create-cluster", "spread", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "spread", "orders", "--partitions", "12", "--replication-factor", "1").code()).isZero();
        assertThat(cox("get", "spread").out()).as("nothing under way: nothing said").doesNotContain(SECTION).doesNotContain("changing");

        Run raised = cox("topic", "replication-factor", "spread", "orders", "--replication-factor", "3");
        assertThat(raised.code()).as(raised.err()).isZero();
        assertThat(raised.out()).contains("ChangeReplicationFactor on spread: accepted", "\nfollow its progress with: cox get spread\n");
        assertThat(cox("topic", "replication-factor", "--help").out()).contains("Follow it with cox get CLUSTER");

        replicationObserved("spread", 12, 4, 2, null);
        JsonNode orders = replication("spread").get("orders");
        assertThat(orders.get("atFactor").asInt()).isEqualTo(4);
        String since = orders.get("since").asText();
        assertThat(cox("get", "spread").out()).contains("\n" + SECTION + "\n  orders: RF 3 (changing: 4/12 partitions, 2 moving, since " + since + ")\n")
                .doesNotContain("blocked");

        // a broker down: the same change, so the same since, and why no replica is placed
        replicationObserved("spread", 12, 7, 0, TOO_FEW);
        assertThat(replication("spread").get("orders").get("since").asText()).isEqualTo(since);
        assertThat(cox("get", "spread").out()).contains("\n  orders: RF 3 (changing: 7/12 partitions, 0 moving, since " + since + "), blocked: " + TOO_FEW + "\n");

        // the last partition landed: the executor says so with an empty observation
        replicationObserved("spread", 0, 0, 0, null);
        assertThat(replication("spread").isEmpty()).isTrue();
        String after = cox("get", "spread").out();
        assertThat(after).doesNotContain(SECTION).doesNotContain("changing");
        assertThat(after.chars().allMatch(ch -> ch < 128)).as("ASCII only").isTrue();
    }
}
