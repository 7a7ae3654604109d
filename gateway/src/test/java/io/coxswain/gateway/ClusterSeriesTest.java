package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-cluster series of {@code /metrics} beyond those {@link ClustersApiTest} reads: a change of replication
 * factor followed by its partitions and those at the new factor while it is under way, whether it is
 * blocked, and no series once every partition has it; when each SCRAM user's password was last set, for
 * an alert on a password policy's age; each topic Kafka refuses; each cluster's labels, for routing alerts by team; each connector's failed
 * tasks and state, and whether Connect answers, for the connector alerts; each consumer group offset reset pending and
 * the latest settled, for the reset alerts; each proposal waiting for approval and the latest end of each command type
 * by state, for the approval alerts.
 */
class ClusterSeriesTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics().prefix(), c -> c);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aChangeUnderWayHasItsProgressAndNoneOnceDone() {
        String cluster = "rf-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "audit")).status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":{"
                + "\"orders\":{\"factor\":3,\"partitions\":3,\"atFactor\":1,\"moving\":1,\"blocked\":null},"
                + "\"audit\":{\"factor\":3,\"partitions\":3,\"atFactor\":0,\"moving\":0,\"blocked\":\"replication factor 3 needs 3 brokers up\"}}}");

        String labels = "{cluster=\"" + cluster + "\",topic=\"orders\",factor=\"3\"} ";
        assertThat(h.get("/metrics").body())
                .contains("coxswain_topic_replication_partitions" + labels + "3\n")
                .contains("coxswain_topic_replication_partitions_at_factor" + labels + "1\n")
                .contains("coxswain_topic_replication_blocked" + labels + "0\n")
                .contains("coxswain_topic_replication_blocked{cluster=\"" + cluster + "\",topic=\"audit\",factor=\"3\"} 1\n");

        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":{}}");
        assertThat(h.get("/metrics").body()).as("every topic at its factor: no series left")
                .doesNotContain("coxswain_topic_replication_partitions{cluster=\"" + cluster)
                .doesNotContain("coxswain_topic_replication_blocked{cluster=\"" + cluster);
    }

    @Test
    void aTopicKafkaRefusesHasASeriesUntilTheExecutorSaysItIsFixed() {
        String cluster = "tr-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).doesNotContain("coxswain_topic_refused{cluster=\"" + cluster);

        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":"
                + "\"InvalidConfigurationException: Invalid value abc for configuration retention.ms\",\"commandId\":\"c-1\"}}}");
        assertThat(h.get("/metrics").body()).contains("coxswain_topic_refused{cluster=\"" + cluster + "\",topic=\"orders\"} 1\n");

        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{}}");
        assertThat(h.get("/metrics").body()).as("fixed: no series left").doesNotContain("coxswain_topic_refused{cluster=\"" + cluster);

        h.observe(cluster, "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{\"brokerConfig/cluster-default\":{\"reason\":"
                + "\"Kafka refused message.max.bytes=-5 on the cluster default: InvalidRequestException: no\"}}}");
        assertThat(h.get("/metrics").body()).as("what the executor refuses has a series too")
                .contains("coxswain_cluster_blocked{cluster=\"" + cluster + "\",key=\"brokerConfig/cluster-default\"} 1\n");
        h.observe(cluster, "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{}}");
        assertThat(h.get("/metrics").body()).doesNotContain("coxswain_cluster_blocked{cluster=\"" + cluster);

        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":\"PolicyViolationException: no\"}}}");
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"DeleteCluster\",\"payload\":{}}").status())
                .isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("a cluster being deleted: nothing left to fix, its alert resolves")
                .doesNotContain("coxswain_topic_refused{cluster=\"" + cluster);
    }

    @Test
    void aScramUsersPasswordIsDatedByItsCreationThenByItsLatestRotation() {
        String cluster = "pw-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateCluster\",\"payload\":{"
                + "\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},\"clientAuthentication\":\"TLS\"}}")
                .status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"py-app\","
                + "\"acls\":[],\"authentication\":\"SCRAM-SHA-512\"}}").status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"tls-app\","
                + "\"acls\":[]}}").status()).isEqualTo(200);
        Instant created = Instant.parse(h.get("/v1/clusters/" + cluster).json().at("/users/py-app/createdAt").asText());
        assertThat(passwordSet(cluster, "py-app")).isCloseTo(created.toEpochMilli() / 1000.0, within(0.0005));
        assertThat(h.get("/metrics").body()).as("a certificate user has no password").doesNotContain("user=\"tls-app\"");

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"RotateUserPassword\",\"payload\":{\"name\":\"py-app\"}}")
                .status()).isEqualTo(200);
        Instant rotated = Instant.parse(h.get("/v1/clusters/" + cluster).json().at("/users/py-app/passwordRotation/requestedAt").asText());
        assertThat(rotated).isAfter(created);
        assertThat(passwordSet(cluster, "py-app")).isCloseTo(rotated.toEpochMilli() / 1000.0, within(0.0005));
    }

    @Test
    void aClusterWithLabelsHasOneLabelsSeriesWithEachKeyAsAPrometheusLabelNameAndNoneWithoutLabels() {
        String cluster = "lb-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateCluster\",\"payload\":{"
                + "\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},"
                + "\"labels\":{\"env\":\"prod\",\"app.kubernetes.io/team\":\"payments\"}}}").status()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).contains("# TYPE coxswain_cluster_labels gauge\n")
                .contains("coxswain_cluster_labels{cluster=\"" + cluster + "\",label_app_kubernetes_io_team=\"payments\",label_env=\"prod\"} 1\n");

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetClusterLabels\",\"payload\":{\"labels\":{}}}")
                .status()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("no labels, no series").doesNotContain("coxswain_cluster_labels{cluster=\"" + cluster + "\"");
    }

    @Test
    void eachObservedConnectorHasItsFailedTasksAndStateAndConnectItsReachability() {
        String cluster = "cn-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetComponent\",\"payload\":"
                + "{\"component\":\"connect\",\"replicas\":1}}").status()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("connect runs, nothing observed yet")
                .contains("coxswain_connect_unreachable{cluster=\"" + cluster + "\"} 0\n")
                .doesNotContain("coxswain_connector_failed_tasks{cluster=\"" + cluster);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetConnector\",\"payload\":"
                + "{\"name\":\"sink\",\"connectorClass\":\"org.apache.kafka.connect.file.FileStreamSinkConnector\",\"tasksMax\":3}}")
                .status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"sink\":{\"state\":\"FAILED\",\"tasks\":3,\"failedTasks\":2},"
                + "\"by-hand\":{\"state\":\"RUNNING\",\"tasks\":1}},\"unmanaged\":[\"by-hand\"]}");

        String labels = "{cluster=\"" + cluster + "\",connector=\"sink\"} ";
        assertThat(h.get("/metrics").body())
                .contains("coxswain_connector_failed_tasks" + labels + "2\n")
                .contains("coxswain_connector_tasks" + labels + "3\n")
                .contains("coxswain_connector_state{cluster=\"" + cluster + "\",connector=\"sink\",state=\"FAILED\",asked=\"RUNNING\"} 1\n")
                .as("a connector the state does not name has no series").doesNotContain("connector=\"by-hand\"");

        h.observe(cluster, "{\"type\":\"ConnectorsObserved\",\"unreachable\":\"connect timed out\"}");
        assertThat(h.get("/metrics").body()).contains("coxswain_connect_unreachable{cluster=\"" + cluster + "\"} 1\n")
                .as("as last seen").contains("coxswain_connector_failed_tasks" + labels + "2\n");

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"DeleteConnector\",\"payload\":"
                + "{\"name\":\"sink\"}}").status()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("a deleted connector's alert resolves").doesNotContain("connector=\"sink\"");
    }

    @Test
    void aPendingOffsetResetHasWhenItWasAskedAndASettledOneItsOutcome() {
        String cluster = "or-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        long before = Instant.now().getEpochSecond();
        String id = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"ResetConsumerGroupOffsets\",\"payload\":"
                + "{\"group\":\"billing\",\"topics\":[\"orders\"],\"to\":\"EARLIEST\"}}").json().get("commandId").asText();
        String pending = "coxswain_offset_reset_requested_timestamp_seconds{cluster=\"" + cluster + "\",group=\"billing\",planned=\"false\"} ";
        assertThat(h.get("/metrics").body()).as("asked, not planned").contains(pending)
                .doesNotContain("coxswain_offset_reset_settled_timestamp_seconds{cluster=\"" + cluster);
        assertThat(seriesValue(pending)).isCloseTo(before, within(5.0));

        h.observe(cluster, "{\"type\":\"OffsetResetObserved\",\"commandId\":\"" + id + "\",\"group\":\"billing\",\"state\":\"PLANNED\","
                + "\"partitions\":{\"orders\":[{\"partition\":0,\"from\":12,\"to\":0}]}}");
        assertThat(h.get("/metrics").body()).as("planned").doesNotContain(pending)
                .contains("coxswain_offset_reset_requested_timestamp_seconds{cluster=\"" + cluster + "\",group=\"billing\",planned=\"true\"} ");

        h.observe(cluster, "{\"type\":\"OffsetResetObserved\",\"commandId\":\"" + id + "\",\"group\":\"billing\",\"state\":\"REFUSED\","
                + "\"reason\":\"consumer group 'billing' has 1 member(s) (consumer-1): stop its consumers\"}");
        String refused = "coxswain_offset_reset_settled_timestamp_seconds{cluster=\"" + cluster + "\",group=\"billing\",state=\"REFUSED\"} ";
        assertThat(h.get("/metrics").body()).as("settled: no longer pending").contains(refused)
                .doesNotContain("coxswain_offset_reset_requested_timestamp_seconds{cluster=\"" + cluster);
        assertThat(seriesValue(refused)).isCloseTo(Instant.now().getEpochSecond(), within(5.0));

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"DeleteCluster\",\"payload\":{}}").status())
                .isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("a cluster being deleted: nothing there to act on, no alert")
                .doesNotContain("coxswain_offset_reset_settled_timestamp_seconds{cluster=\"" + cluster);
    }

    @Test
    void aProposalHasWhenItWasProposedAndExpiresWhileItWaitsAndEachTypesLatestEndByState() {
        String cluster = "ap-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        ApprovalScenes.requireApprovalOfScaleAndDeleteTopic(h, cluster);
        long before = Instant.now().getEpochSecond();
        String scale = "scale-" + cluster;
        ApprovalScenes.proposeScaleUnchangedSinceNow(h, cluster, scale);
        String labels = "{cluster=\"" + cluster + "\",type=\"ScaleBrokers\",command=\"" + scale + "\"} ";
        double proposed = seriesValue("coxswain_proposal_pending_timestamp_seconds" + labels);
        assertThat(proposed).isCloseTo(before, within(5.0));
        assertThat(seriesValue("coxswain_proposal_expiry_timestamp_seconds" + labels)).as("the policy's 24 h").isEqualTo(proposed + 24 * 3600);
        assertThat(h.get("/metrics").body()).as("nothing ended yet").doesNotContain("coxswain_proposal_ended_timestamp_seconds{cluster=\"" + cluster);

        ApprovalScenes.changeMeanwhileThenApprove(h, cluster, scale);
        String refused = "coxswain_proposal_ended_timestamp_seconds{cluster=\"" + cluster + "\",type=\"ScaleBrokers\",state=\"REFUSED\"} ";
        assertThat(h.get("/metrics").body()).as("ended: no longer pending").contains(refused)
                .doesNotContain("coxswain_proposal_pending_timestamp_seconds{cluster=\"" + cluster)
                .doesNotContain("coxswain_proposal_expiry_timestamp_seconds{cluster=\"" + cluster);
        assertThat(seriesValue(refused)).isCloseTo(Instant.now().getEpochSecond(), within(5.0));

        // two proposals withdrawn: one series for the type and state, at the later end
        for (String id : List.of("drop-1-" + cluster, "drop-2-" + cluster)) {
            ApprovalScenes.propose(h, cluster, id, "DeleteTopic", "{\"name\":\"orders\"}", "");
            assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"WithdrawProposal\",\"payload\":"
                    + "{\"commandId\":\"" + id + "\"}}").status()).isEqualTo(200);
        }
        String ended = "coxswain_proposal_ended_timestamp_seconds{cluster=\"" + cluster;
        assertThat(h.get("/metrics").body().lines().filter(l -> l.startsWith(ended))).as("latest per type and state, not per proposal")
                .hasSize(2);
        JsonNode outcomes = h.get("/v1/clusters/" + cluster).json().at("/status/proposalOutcomes");
        assertThat(seriesValue(ended + "\",type=\"DeleteTopic\",state=\"WITHDRAWN\"} ")).as("the second withdrawal's time")
                .isEqualTo(Instant.parse(outcomes.get(outcomes.size() - 1).get("at").asText()).toEpochMilli() / 1000.0);

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"DeleteCluster\",\"payload\":{}}").status())
                .isEqualTo(200);
        assertThat(h.get("/metrics").body()).as("a cluster being deleted: nothing there to approve, no alert").doesNotContain(ended);
    }

    /** The value of the one series whose name and labels {@code prefix} gives, as scraped. */
    private static double seriesValue(String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\S+)\n").matcher(h.get("/metrics").body());
        assertThat(m.find()).as(prefix).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The value of coxswain_user_password_set_timestamp_seconds for one user, as scraped. */
    private static double passwordSet(String cluster, String user) {
        Matcher m = Pattern.compile("coxswain_user_password_set_timestamp_seconds\\{cluster=\"" + cluster + "\",user=\"" + user + "\"\\} (\\S+)\n")
                .matcher(h.get("/metrics").body());
        assertThat(m.find()).as("the series of " + user).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
