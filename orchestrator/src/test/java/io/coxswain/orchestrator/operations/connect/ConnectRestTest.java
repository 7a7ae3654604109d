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
}
