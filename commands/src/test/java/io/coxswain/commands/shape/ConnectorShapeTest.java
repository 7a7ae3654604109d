package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.DeleteConnector;
import io.coxswain.avro.command.RestartConnector;
import io.coxswain.avro.command.SetConnector;
import io.coxswain.commands.Commands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A connector command names a connector the Connect REST API can address, a class, a task count in
 * bounds, and never carries a secret as a value: the log is kept forever.
 */
class ConnectorShapeTest {

    private static final String FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";

    private static List<String> violations(Object payload) {
        return PayloadViolations.of(payload);
    }

    private static SetConnector set(String name, Map<String, String> config) {
        return new SetConnector(name, FILE_SOURCE, 1, config, ConnectorState.RUNNING);
    }

    @Test
    void aConnectorWithTransformAliasesAndProviderReferencesIsWellFormed() {
        assertThat(violations(set("orders-source.v1_x", Map.of("topic", "orders", "transforms", "Route",
                "transforms.Route.type", "org.apache.kafka.connect.transforms.RegexRouter",
                "connection.password", "${file:/mnt/secrets/db.properties:password}",
                "consumer.override.sasl.jaas.config", "${env:JAAS}")))).isEmpty();
    }

    @Test
    void aNameThatCannotGoInAUrlPathIsRefusedNamingTheField() {
        assertThat(violations(set("orders/eu", Map.of()))).singleElement().asString()
                .contains("payload.name", "REST API's paths", "'orders/eu'");
        assertThat(violations(set("..", Map.of()))).singleElement().asString().contains("payload.name");
        assertThat(violations(set("x".repeat(ConnectorShape.MAX_NAME_LENGTH + 1), Map.of()))).singleElement().asString()
                .contains("payload.name", "1-" + ConnectorShape.MAX_NAME_LENGTH);
        assertThat(violations(new DeleteConnector("a b"))).singleElement().asString().contains("payload.name");
        assertThat(violations(new RestartConnector("", true, null))).singleElement().asString().contains("payload.name");
    }

    @Test
    void theClassAndTaskCountAreChecked() {
        assertThat(violations(new SetConnector("c", "not a class", 1, Map.of(), ConnectorState.RUNNING))).singleElement().asString()
                .contains("payload.connectorClass", "Java class name", "'not a class'");
        assertThat(violations(new SetConnector("c", FILE_SOURCE, 0, Map.of(), ConnectorState.RUNNING))).singleElement().asString()
                .contains("payload.tasksMax", "between 1 and " + ConnectorShape.MAX_TASKS, "got 0");
        assertThat(violations(new SetConnector("c", FILE_SOURCE, ConnectorShape.MAX_TASKS + 1, Map.of(), ConnectorState.RUNNING))).hasSize(1);
    }

    @Test
    void theFieldsOfTheirOwnCannotHideInTheConfig() {
        assertThat(violations(set("c", Map.of("tasks.max", "4", "connector.class", "x.Y")))).singleElement().asString()
                .contains("payload.config", "'connector.class'", "field of SetConnector of its own");
        assertThat(violations(set("c", Map.of("1bad", "x")))).singleElement().asString().contains("payload.config", "'1bad'");
    }

    @Test
    void aSecretAsAValueIsRefusedWithWhatToSendInstead() {
        assertThat(violations(set("c", Map.of("connection.password", "hunter2", "database.user", "app")))).singleElement().asString()
                .contains("payload.config", "'connection.password' holds a secret", "kept forever",
                        "${directory:/mnt/secrets/<Secret>:<key>}")
                .doesNotContain("hunter2");
        assertThat(violations(set("c", Map.of("aws.secret.access.key", "AKIA...")))).hasSize(1);
        assertThat(violations(set("c", Map.of("producer.override.sasl.jaas.config", "org.apache...ScramLoginModule required password=\"x\";"))))
                .hasSize(1);
        assertThat(violations(set("c", Map.of("connection.password", "${half")))).as("not a whole reference").hasSize(1);
        assertThat(violations(set("c", Map.of("connection.password", "")))).as("an empty value holds nothing").isEmpty();
        assertThat(violations(set("c", Map.of("schema.registry.basic.auth.user.info", "app:hunter2")))).hasSize(1);
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:postgresql://app:hunter2@db:5432/orders")))).singleElement().asString()
                .as("a password in a URL under any key").contains("'connection.url' holds a secret").doesNotContain("hunter2");
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:postgresql://db:5432/orders")))).isEmpty();
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:postgresql://${env:U}:${env:P}@db/orders")))).isEmpty();
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:postgresql://app:hunter2@db/${env:DB}")))).as("a reference elsewhere")
                .hasSize(1);
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:mysql://db/x?user=a&password=p")))).hasSize(1);
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:sqlserver://db;user=a;password=p")))).hasSize(1);
        assertThat(violations(set("c", Map.of("connection.url", "jdbc:mysql://db/x?user=a&password=${directory:/mnt/secrets/db:pw}"))))
                .isEmpty();
    }

    @Test
    void theBuilderMakesTheCommandsAndRefusesABadOneBeforeItIsSent() {
        Command c = Commands.on("payments").issuer("alice").setConnector("orders", FILE_SOURCE, 2, Map.of("topic", "orders"));
        assertThat(c.getPayload()).isEqualTo(new SetConnector("orders", FILE_SOURCE, 2, Map.of("topic", "orders"), ConnectorState.RUNNING));
        assertThat(Commands.typeOf(c)).isEqualTo("SetConnector");
        assertThat(Commands.typeOf(Commands.on("payments").issuer("alice").restartConnector("orders", true, "db back"))).isEqualTo("RestartConnector");
        assertThat(Commands.on("payments").issuer("alice").deleteConnector("orders").getPayload()).isEqualTo(new DeleteConnector("orders"));
        assertThatThrownBy(() -> Commands.on("payments").issuer("alice").setConnector("orders", FILE_SOURCE, 1, Map.of("db.password", "x")))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("payload.config");
    }
}
