package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.commands.shape.MaintenanceWindow;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster created without client authentication moved to it without an outage, on REAL Kafka
 * nodes (1 controller, 2 brokers): at OPTIONAL the applications without a certificate keep writing
 * while one that presents its user's certificate is named and its ACLs apply (and keep the others
 * off the topic they name; where no ACL names a topic, anyone may write); at TLS only the named one
 * still connects, and only where its ACLs allow. The roll to TLS waits for the cluster's maintenance
 * window, and goes when the windows are lifted.
 */
class ClientAuthenticationEndToEndTest {

    private static final String CLUSTER = "mig";
    private static final int BROKERS = 2;
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        world = DriveWorld.withReadyCluster("exec-mig", Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.3.1", 1, BROKERS, "1Gi"));
        for (String topic : List.of("legacy", "orders")) {
            accepted(Commands.on(CLUSTER).issuer("test").commandId("topic-" + topic).createTopic(topic, 1, BROKERS, Map.of()));
        }
        DriveWorld.await(Duration.ofSeconds(60), () -> "an application without a certificate writes", () -> anonymous("legacy") == null
                && anonymous("orders") == null);
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void noneToOptionalToTlsKeepsEveryApplicationWritingUntilItHasItsCertificate() {
        Command optional = Commands.on(CLUSTER).issuer("alice").commandId("optional").changeClientAuthentication("OPTIONAL");
        accepted(optional);
        awaitRolled(optional, "OPTIONAL");
        assertThat(anonymous("legacy")).as("an application without a certificate, on OPTIONAL").isNull();

        accepted(Commands.on(CLUSTER).issuer("alice").commandId("user").createUser("orders-app",
                List.of(AclRules.parse("topic:orders:WRITE,DESCRIBE"))));
        Map<String, String> files = TlsSecrets.decoded(world.awaitUserSecret(CLUSTER, "orders-app"));
        DriveWorld.await(Duration.ofSeconds(60), () -> "orders-app writes to orders with its certificate",
                () -> Producers.asUser(world.bootstrap(CLUSTER, BROKERS), files, "orders") == null);
        // orders-app writes whether or not its ACL is there yet (on OPTIONAL anyone may write where no ACL names the topic): the
        // executor writes the user's Secret before its ACLs, and each broker takes the ACLs from its own copy of the metadata
        DriveWorld.await(Duration.ofSeconds(60), () -> "an application without a certificate refused on orders, an ACL naming the topic now",
                () -> anonymous("orders") instanceof TopicAuthorizationException);
        assertThat(Producers.asUser(world.bootstrap(CLUSTER, BROKERS), files, "legacy"))
                .as("on OPTIONAL anyone may write where no ACL names the topic, named or not").isNull();
        assertThat(anonymous("legacy")).as("the applications not moved yet keep writing").isNull();

        // the roll to TLS waits for the cluster's maintenance window: one three days away is closed all day today
        DayOfWeek day = LocalDate.now(ZoneOffset.UTC).plusDays(3).getDayOfWeek();
        List<String> windows = List.of(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " 02:00-03:00");
        accepted(Commands.on(CLUSTER).issuer("alice").commandId("windows").setMaintenanceWindows(windows));
        Command tls = Commands.on(CLUSTER).issuer("alice").commandId("tls").changeClientAuthentication("TLS");
        accepted(tls);
        ClusterState waiting = world.awaitState(CLUSTER, Duration.ofSeconds(60), "the roll to TLS deferred", st -> st.getStatus().getDeferred() != null);
        assertThat(waiting.getStatus().getDeferred().getOperation()).isEqualTo("Reconfigure");
        assertThat(waiting.getStatus().getDeferred().getCauseCommandId()).isEqualTo("tls");
        assertThat(waiting.getStatus().getDeferred().getUntil()).isEqualTo(MaintenanceWindow.nextOpening(windows, Instant.now()).orElseThrow());
        assertThat(waiting.getStatus().getOperation().getCauseCommandId()).as("no operation started for it").isEqualTo("optional");
        // the StatefulSets and ConfigMaps take the new setting (pods made now get it); no running pod restarts for it
        assertThat(world.actions(CLUSTER)).noneMatch(a -> a.getAction() == ResourceAction.RESTART && "tls".equals(a.getCauseCommandId()));
        assertThat(anonymous("legacy")).as("still OPTIONAL on the nodes").isNull();

        accepted(Commands.on(CLUSTER).issuer("alice").commandId("any-time").setMaintenanceWindows(List.of()));
        awaitRolled(tls, "TLS");
        assertThat(world.state(CLUSTER).orElseThrow().getStatus().getDeferred()).isNull();
        assertThat(anonymous("legacy")).as("no certificate, on TLS").isInstanceOf(SslAuthenticationException.class);
        assertThat(Producers.asUser(world.bootstrap(CLUSTER, BROKERS), files, "orders")).isNull();
        assertThat(Producers.asUser(world.bootstrap(CLUSTER, BROKERS), files, "legacy"))
                .as("on TLS what no ACL allows is denied").isInstanceOf(TopicAuthorizationException.class);
    }

    /** The Reconfigure the command caused SUCCEEDED with every node restarted for it, and the cluster Ready on {@code mode}. */
    private static void awaitRolled(Command change, String mode) {
        ClusterState s = world.awaitState(CLUSTER, Duration.ofSeconds(240), "rolled to " + mode, st -> st.getStatus().getOperation() != null
                && change.getCommandId().equals(st.getStatus().getOperation().getCauseCommandId())
                && "SUCCEEDED".equals(st.getStatus().getOperation().getState()) && "Ready".equals(st.getStatus().getPhase()));
        assertThat(s.getSpec().getClientAuthentication()).isEqualTo(mode);
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.RESTART && change.getCommandId().equals(a.getCauseCommandId()))
                .extracting(ResourceActionObserved::getName).containsExactlyInAnyOrder("mig-controller-0", "mig-broker-0", "mig-broker-1");
    }

    /** One record sent by a client that trusts the cluster CA and presents no certificate; null when written. */
    private static Throwable anonymous(String topic) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(CLUSTER));
        config.put("bootstrap.servers", world.bootstrap(CLUSTER, BROKERS));
        return Producers.send(config, topic);
    }

    private static void accepted(Command command) {
        assertThat(world.send(command)).as(command.getCommandId()).isInstanceOf(Outcome.Accepted.class);
    }
}
