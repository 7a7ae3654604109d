package io.coxswain.orchestrator.operations.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What Connect and connectors say goes to the executor's log and into the command log, kept forever: a value a
 * config provider resolved must not ride along in a URL or after a password-like key.
 */
class ConnectRestTest {

    @Test
    void aPasswordInAUrlOrAfterAPasswordKeyIsLeftOut() {
        assertThat(ConnectRest.redacted("java.sql.SQLException: cannot connect to jdbc:postgresql://app:hunter2@db:5432/orders"))
                .isEqualTo("java.sql.SQLException: cannot connect to jdbc:postgresql://app:(not shown)@db:5432/orders");
        assertThat(ConnectRest.redacted("login failed: user=app password=hunter2, host=db"))
                .isEqualTo("login failed: user=app password=(not shown), host=db").doesNotContain("hunter2");
        assertThat(ConnectRest.redacted("Token: abc.def.ghi expired")).doesNotContain("abc.def.ghi");
        assertThat(ConnectRest.redacted("org.apache.kafka.connect.errors.ConnectException: no such file /tmp/x"))
                .as("nothing else changes").isEqualTo("org.apache.kafka.connect.errors.ConnectException: no such file /tmp/x");
    }

    @Test
    void anOffsetsResetConnectWillNeverMakeIsToldFromOneThatMayPass() {
        assertThat(new ConnectRestException(500, "Connect at http://c:8083 answered DELETE /connectors/x/offsets with 500: Failed to reset"
                + " offsets: the connector does not support altering its offsets").resetRefusedForGood()).isTrue();
        assertThat(new ConnectRestException(404, "... answered DELETE /connectors/x/offsets with 404: HTTP 404 Not Found").resetRefusedForGood())
                .as("workers older than the call").isTrue();
        assertThat(new ConnectRestException(409, "... with 409: Cannot complete request because of a conflicting operation").resetRefusedForGood())
                .as("a rebalance passes").isFalse();
        assertThat(new ConnectRestException(500, "... with 500: consumer group connect-x is not empty").resetRefusedForGood())
                .as("a sink's group not yet empty passes").isFalse();
        assertThat(new ConnectRestException("Connect at http://c:8083 did not answer", new java.io.IOException()).resetRefusedForGood()).isFalse();
    }

    @Test
    void aCallThatTimedOutIsToldFromOneNeverSentAndFromAnyOtherFailure() {
        assertThat(new ConnectRestException("Connect at http://c:8083 did not answer POST /connectors/x/restart",
                new java.net.http.HttpTimeoutException("request timed out")).timedOut()).as("the executor stopped waiting").isTrue();
        assertThat(new ConnectRestException(500, "Connect at http://c:8083 answered POST /connectors/x/restart with 500: Request timed out."
                + " The worker is currently ensuring membership in the cluster").timedOut()).as("Connect's own time-out").isTrue();
        assertThat(new ConnectRestException("Connect at http://c:8083 did not answer", new java.net.http.HttpConnectTimeoutException("connect"))
                .timedOut()).as("never connected: never sent").isFalse();
        assertThat(new ConnectRestException("Connect at http://c:8083 did not answer", new java.net.ConnectException("refused")).timedOut())
                .isFalse();
        assertThat(new ConnectRestException(409, "... with 409: Cannot complete request because of a conflicting operation").timedOut())
                .isFalse();
    }

    @Test
    void workersThatDoNotKnowInitialStateAreToldFromARefusedConfiguration() {
        String unknown = "Connect at http://c:8083 answered POST /connectors with %d: Unrecognized field \"initial_state\" (class"
                + " org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest), not marked as ignorable";
        assertThat(new ConnectRestException(500, unknown.formatted(500)).initialStateUnknown()).isTrue();
        assertThat(new ConnectRestException(400, unknown.formatted(400)).initialStateUnknown()).isTrue();
        assertThat(new ConnectRestException(400, "... with 400: Connector configuration is invalid and contains 1 error(s): Invalid value"
                + " (not shown) for configuration initial_state").initialStateUnknown()).as("a property of that name refused").isFalse();
    }
}
