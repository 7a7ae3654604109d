package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code cox connector set|delete|restart|reset-offsets|list} end to end (CoxCliTest's way of running cox): the rules
 * the fold applies as cox reports them, a secret refused before it reaches the log, and what list shows of the executor's
 * ConnectorsObserved (recorded here by the test as the executor would).
 */
class ConnectorCliTest extends CoxCliHarness {

    private static final String JDBC = "io.confluent.connect.jdbc.JdbcSourceConnector";

    private static long connectorCommandsLogged(String cluster) {
        return cox("history", cluster).out().lines().filter(l -> l.contains("Connector")).count();
    }

    @Test
    void aConnectorIsSetRestartedListedWithWhatConnectReportsAndDeleted() throws Exception {
        assertThat(cox("create-cluster", "etl", "--kafka-version", "4.1.0").code()).isZero();
        Run noConnect = cox("connector", "set", "etl", "orders-db", "--class", JDBC);
        assertThat(noConnect.code()).isEqualTo(1);
        assertThat(noConnect.err()).contains("SetConnector on etl rejected (NOT_SUPPORTED_ON_CLUSTER)");

        Run keys = cox("component", "set", "etl", "connect", "--replicas", "1", "--secret", "etl-cluster-ca");
        assertThat(keys.code()).isEqualTo(2);
        assertThat(keys.err()).contains("payload.secrets", "'etl-cluster-ca' holds keys Coxswain made");
        assertThat(cox("component", "set", "etl", "connect", "--replicas", "1", "--secret", "db-creds").code()).isZero();
        assertThat(cox("get", "etl", "-o", "json").json().at("/spec/components/connect/secrets").toString()).isEqualTo("[\"db-creds\"]");
        Run set = cox("connector", "set", "etl", "orders-db", "--class", JDBC, "--tasks", "2", "--config", "topic.prefix=db-",
                "--config", "connection.password=${file:/mnt/secrets/db.properties:password}", "--command-id", "set-orders-db");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("SetConnector on etl: accepted, version 3 (command set-orders-db)");
        JsonNode asked = cox("get", "etl", "-o", "json").json().at("/connectors/orders-db");
        assertThat(asked.get("tasksMax").asInt()).isEqualTo(2);
        assertThat(asked.get("state").asText()).as("--state left out is RUNNING").isEqualTo("RUNNING");
        assertThat(cox("get", "etl").out()).as("not observed yet: no Connect runs beside this gateway")
                .contains("Connectors: 1, 1 not as asked (cox connector list etl)");
        assertThat(asked.at("/config/connection.password").asText()).isEqualTo("${file:/mnt/secrets/db.properties:password}");

        Run same = cox("connector", "set", "etl", "orders-db", "--class", JDBC, "--tasks", "2", "--config", "topic.prefix=db-",
                "--config", "connection.password=${file:/mnt/secrets/db.properties:password}");
        assertThat(same.code()).isEqualTo(1);
        assertThat(same.err()).contains("rejected (NO_CHANGE)");
        assertThat(cox("connector", "list", "etl").out()).containsPattern("orders-db +" + JDBC.replace(".", "\\.") + " +RUNNING +not yet observed +- +- +-");

        Run restart = cox("connector", "restart", "etl", "orders-db", "--all-tasks", "--reason", "stuck after a failover", "--command-id", "rs-1");
        assertThat(restart.code()).as(restart.err()).isZero();
        JsonNode restartAsked = cox("get", "etl", "-o", "json").json().at("/connectors/orders-db/restart");
        assertThat(restartAsked.get("onlyFailed").asBoolean()).as("--all-tasks").isFalse();
        assertThat(restartAsked.get("reason").asText()).isEqualTo("stuck after a failover");
        assertThat(cox("connector", "list", "etl").out()).containsPattern("orders-db .* pending");

        h.observe("etl", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"orders-db\":{\"state\":\"RUNNING\",\"tasks\":2,\"failedTasks\":1,"
                + "\"error\":\"java.sql.SQLException: connection refused\",\"restarted\":\"rs-1\"}},\"unmanaged\":[\"hand-made\"],\"unreachable\":null}");
        Run list = cox("connector", "list", "etl");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("CONNECTOR +CLASS +ASKED +STATE +TASKS +FAILED +RESTART +OFFSETS RESET +ERROR")
                .containsPattern("orders-db +" + JDBC.replace(".", "\\.") + " +RUNNING +RUNNING +2/2 +1 +done +- +java\\.sql\\.SQLException: connection refused")
                .contains("Not managed by Coxswain (left alone): hand-made")
                .doesNotContain("Connect unreachable");
        JsonNode json = cox("connector", "list", "etl", "-o", "json").json();
        assertThat(json.at("/connectors/orders-db/observed/failedTasks").asInt()).isEqualTo(1);
        assertThat(json.at("/connectors/orders-db/connectorClass").asText()).isEqualTo(JDBC);
        assertThat(json.at("/unmanaged/0").asText()).isEqualTo("hand-made");

        h.observe("etl", "{\"type\":\"ConnectorsObserved\",\"connectors\":{},\"unmanaged\":[],\"unreachable\":\"connect timed out\"}");
        assertThat(cox("connector", "list", "etl").out()).contains("Connect unreachable: connect timed out (states as last observed)")
                .containsPattern("orders-db .* 2/2 +1 ");

        Run paused = cox("connector", "set", "etl", "orders-db", "--class", JDBC, "--tasks", "2", "--state", "paused", "--config", "topic.prefix=db-");
        assertThat(paused.code()).as(paused.err()).isZero();
        assertThat(cox("connector", "list", "etl").out()).containsPattern("orders-db +\\S+ +PAUSED ");

        assertThat(cox("connector", "delete", "etl", "orders-db").code()).isZero();
        assertThat(cox("connector", "list", "etl").out()).contains("cluster etl runs no connectors");
        assertThat(cox("get", "etl", "-o", "json").json().get("retiredConnectors").toString()).isEqualTo("[\"orders-db\"]");
        Run again = cox("connector", "delete", "etl", "orders-db");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("DeleteConnector on etl rejected (CONNECTOR_NOT_FOUND)");
        Run unknown = cox("connector", "restart", "etl", "nobody");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("rejected (CONNECTOR_NOT_FOUND)");
    }

    @Test
    void offsetsAreResetOnlyForAStoppedConnectorWhichStaysStoppedUntilTheResetIsDone() {
        assertThat(cox("create-cluster", "replay", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("component", "set", "replay", "connect", "--replicas", "1").code()).isZero();
        assertThat(cox("connector", "set", "replay", "orders-db", "--class", JDBC).code()).isZero();

        Run running = cox("connector", "reset-offsets", "replay", "orders-db");
        assertThat(running.code()).isEqualTo(1);
        assertThat(running.err()).contains("ResetConnectorOffsets on replay rejected (CONNECTOR_NOT_STOPPED)", "is asked to be RUNNING",
                "stop it first (SetConnector with state STOPPED)");
        assertThat(cox("connector", "set", "replay", "orders-db", "--class", JDBC, "--state", "stopped").code()).isZero();
        Run reset = cox("connector", "reset-offsets", "replay", "orders-db", "--reason", "target rebuilt", "--command-id", "ro-1");
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("ResetConnectorOffsets on replay: accepted", "(command ro-1)",
                "start it again once cox connector list replay shows OFFSETS RESET done");
        JsonNode asked = cox("get", "replay", "-o", "json").json().at("/connectors/orders-db/offsetReset");
        assertThat(asked.get("commandId").asText()).isEqualTo("ro-1");
        assertThat(asked.get("reason").asText()).isEqualTo("target rebuilt");
        assertThat(cox("connector", "list", "replay").out()).containsPattern("orders-db +\\S+ +STOPPED +not yet observed +- +- +- +pending");

        Run start = cox("connector", "set", "replay", "orders-db", "--class", JDBC, "--state", "RUNNING");
        assertThat(start.code()).as("not started while the reset is pending").isEqualTo(1);
        assertThat(start.err()).contains("SetConnector on replay rejected (CONNECTOR_NOT_STOPPED)", "ResetConnectorOffsets ro-1",
                "status.connectors.orders-db.offsetsReset");

        h.observe("replay", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"orders-db\":{\"state\":\"STOPPED\",\"tasks\":0,"
                + "\"offsetsReset\":\"ro-1\"}}}");
        assertThat(cox("connector", "list", "replay").out()).containsPattern("orders-db +\\S+ +STOPPED +STOPPED +0/1 +0 +- +done +-");
        Run started = cox("connector", "set", "replay", "orders-db", "--class", JDBC, "--state", "RUNNING");
        assertThat(started.code()).as(started.err()).isZero();
    }

    @Test
    void aSecretValueAndOtherBadInputExitTwoNamingTheFieldWithNothingWritten() {
        assertThat(cox("create-cluster", "sink", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("component", "set", "sink", "connect", "--replicas", "1").code()).isZero();

        Run secret = cox("connector", "set", "sink", "s3", "--class", "io.confluent.connect.s3.S3SinkConnector",
                "--config", "aws.secret.access.key=wJalrXUtnFEMI-K7MDENG");
        assertThat(secret.code()).isEqualTo(2);
        assertThat(secret.err()).contains("[payload.config]", "'aws.secret.access.key' holds a secret", "config provider reference")
                .doesNotContain("wJalrXUtnFEMI-K7MDENG");
        Run badName = cox("connector", "set", "sink", "s3 sink", "--class", "io.confluent.connect.s3.S3SinkConnector");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("[payload.name]");
        Run badState = cox("connector", "set", "sink", "s3", "--class", "io.confluent.connect.s3.S3SinkConnector", "--state", "ASLEEP");
        assertThat(badState.code()).isEqualTo(2);
        assertThat(badState.err()).contains("[payload.state]");
        Run tooManyTasks = cox("connector", "set", "sink", "s3", "--class", "io.confluent.connect.s3.S3SinkConnector", "--tasks", "1001");
        assertThat(tooManyTasks.code()).isEqualTo(2);
        assertThat(tooManyTasks.err()).contains("[payload.tasksMax]");
        assertThat(cox("connector", "set", "sink", "s3").code()).as("--class is required").isEqualTo(2);
        assertThat(connectorCommandsLogged("sink")).as("no bad input reached the log").isZero();

        Run removeConnect = cox("connector", "set", "sink", "s3", "--class", "io.confluent.connect.s3.S3SinkConnector");
        assertThat(removeConnect.code()).as(removeConnect.err()).isZero();
        Run inUse = cox("component", "remove", "sink", "connect");
        assertThat(inUse.code()).isEqualTo(1);
        assertThat(inUse.err()).contains("rejected (COMPONENT_IN_USE)");

        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(cox("connector", "set", "--help").out().replaceAll("\\s+", " ")).contains("replaces the previous one",
                "left out is RUNNING", "config provider reference", "${directory:/mnt/secrets/db-creds:password}", "--dry-run");
        assertThat(cox("connector", "--help").out()).contains("set", "delete", "restart", "list");
        assertThat(cox("--help").out()).contains("connector");
    }
}
