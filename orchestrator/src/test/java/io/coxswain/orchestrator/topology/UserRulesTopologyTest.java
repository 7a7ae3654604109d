package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.AclPatternType;
import io.coxswain.avro.command.AclResourceType;
import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UpdateUserQuotas;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.AclSpec;
import io.coxswain.avro.state.QuotaSpec;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.shape.UserShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of users and their ACLs, through the real topology. */
class UserRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder on(String cluster) {
        return h.on(cluster);
    }

    private void create(String cluster, ClientAuthentication auth) {
        acceptedVersion(h.send(on(cluster).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(auth).build())));
    }

    @Test
    void usersAreCreatedReGrantedAndDeletedWithTheirAclsSorted() {
        create("payments", ClientAuthentication.TLS);
        assertThat(h.state("payments").getSpec().getClientAuthentication()).isEqualTo("TLS");
        assertThat(acceptedVersion(h.send(on("payments").createUser("orders-app",
                List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"), AclRules.parse("group:orders:READ")))))).isEqualTo(2);
        List<AclSpec> acls = h.state("payments").getUsers().get("orders-app").getAcls();
        assertThat(acls).extracting(AclSpec::getResourceType).containsExactly("GROUP", "TOPIC");
        assertThat(acls.get(1).getOperations()).as("sorted, so order never changes the state").containsExactly("DESCRIBE", "WRITE");
        assertThat(acls.get(1).getPatternType()).isEqualTo("PREFIXED");
        assertThat(acls.get(1).getHost()).isEqualTo("*");
        assertThat(acls.get(1).getPermission()).isEqualTo("ALLOW");

        CommandRejected reordered = rejected(h.send(on("payments").updateUserAcls("orders-app",
                List.of(AclRules.parse("group:orders:READ"), AclRules.parse("topic:orders:prefixed:DESCRIBE,WRITE")))));
        assertThat(reordered.getCode()).isEqualTo(RejectionCode.NO_CHANGE);

        assertThat(acceptedVersion(h.send(on("payments").updateUserAcls("orders-app", List.of(AclRules.parse("topic:orders.created:WRITE"))))))
                .isEqualTo(3);
        assertThat(h.state("payments").getUsers().get("orders-app").getAcls()).singleElement()
                .satisfies(a -> assertThat(a.getName()).isEqualTo("orders.created"));

        assertThat(acceptedVersion(h.send(on("payments").deleteUser("orders-app")))).isEqualTo(4);
        assertThat(h.state("payments").getUsers()).isEmpty();
    }

    @Test
    void aClusterThatAuthenticatesNoClientTakesNoUsers() {
        create("open", ClientAuthentication.NONE);
        CommandRejected r = rejected(h.send(on("open").createUser("orders-app", List.of())));
        assertThat(r.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(r.getReason()).contains("cluster 'open' does not authenticate clients (clientAuthentication NONE): ACLs would not apply",
                "create a cluster with clientAuthentication TLS");
        assertThat(h.state("open").getUsers()).isEmpty();
        assertThat(acceptedVersion(h.send(on("open").setComponent("connect", 1, null, null, Map.of())))).isEqualTo(2);
    }

    @Test
    void duplicatesUnknownsAndReservedNamesAreRefusedSayingWhatToDo() {
        create("payments", ClientAuthentication.TLS);
        acceptedVersion(h.send(on("payments").createUser("orders-app", List.of())));
        CommandRejected twice = rejected(h.send(on("payments").createUser("orders-app", List.of())));
        assertThat(twice.getCode()).isEqualTo(RejectionCode.USER_EXISTS);
        assertThat(twice.getReason()).contains("use UpdateUserAcls");

        CommandRejected unknown = rejected(h.send(on("payments").updateUserAcls("ghost", List.of())));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);
        assertThat(unknown.getReason()).contains("user 'ghost' does not exist on cluster 'payments'", "its users are orders-app");
        assertThat(rejected(h.send(on("payments").deleteUser("ghost"))).getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);

        for (String reserved : List.of("coxswain-operator", "payments-broker-0", "payments-controller-2", "payments-broker-99")) {
            CommandRejected r = rejected(h.send(on("payments").createUser(reserved, List.of())));
            assertThat(r.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
            assertThat(r.getReason()).contains("'" + reserved + "' is reserved", "super users", "choose another name");
        }
        assertThat(acceptedVersion(h.send(on("payments").createUser("other-broker-0", List.of())))).as("another cluster's node name is no node here")
                .isPositive();
    }

    @Test
    void malformedUserCommandsAreRejectedNamingTheField() {
        create("payments", ClientAuthentication.TLS);
        Command c = on("payments").deleteUser("x");
        c.setPayload(new CreateUser("orders-app", List.of(AclRules.allow(AclResourceType.TOPIC, "orders",
                AclPatternType.LITERAL, "PUBLISH")), null, "TLS"));
        CommandRejected r = rejected(h.send(c));
        assertThat(r.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(r.getReason()).contains("payload.acls[0].operations", "'PUBLISH' is not a Kafka ACL operation", "IDEMPOTENT_WRITE");
    }

    @Test
    void aComponentBesideAClusterThatAuthenticatesClientsRunsAsTheUserOfItsNameWhichCannotGoWhileItRuns() {
        create("payments", ClientAuthentication.TLS);
        CommandRejected r = rejected(h.send(on("payments").setComponent("schema-registry", 1, null, null, Map.of())));
        assertThat(r.getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);
        assertThat(r.getReason()).contains("schema-registry cannot run beside cluster 'payments' yet", "connects as the user 'schema-registry'",
                "create it first");
        assertThat(h.state("payments").getSpec().getComponents()).isEmpty();

        assertThat(acceptedVersion(h.send(on("payments").createUser("schema-registry",
                List.of(AclRules.parse("topic:_schemas:ALL")))))).isPositive();
        assertThat(acceptedVersion(h.send(on("payments").setComponent("schema-registry", 1, null, null, Map.of())))).isPositive();
        assertThat(h.state("payments").getSpec().getComponents()).containsOnlyKeys("schema-registry");

        CommandRejected inUse = rejected(h.send(on("payments").deleteUser("schema-registry")));
        assertThat(inUse.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(inUse.getReason()).contains("the identity schema-registry connects with", "RemoveComponent");
        assertThat(h.state("payments").getUsers()).containsKey("schema-registry");

        assertThat(acceptedVersion(h.send(on("payments").removeComponent("schema-registry")))).isPositive();
        assertThat(acceptedVersion(h.send(on("payments").deleteUser("schema-registry")))).as("no component runs as it any more").isPositive();
    }

    @Test
    void aDeletedUsersNameGoesToNoNewUserUntilEveryCertificateIssuedToItHasExpired() {
        create("payments", ClientAuthentication.TLS);
        Instant deleted = Instant.parse("2026-03-01T10:00:00Z");
        acceptedVersion(h.send(on("payments").issuedAt(deleted.minus(Duration.ofDays(30))).createUser("orders-app", List.of())));
        acceptedVersion(h.send(on("payments").issuedAt(deleted).deleteUser("orders-app")));
        assertThat(h.state("payments").getRetiredUsers()).containsExactly(Map.entry("orders-app", deleted));

        // a certificate issued just before the deletion stays valid for a year: whoever holds it would be the new orders-app
        CommandRejected taken = rejected(h.send(on("payments").issuedAt(deleted.plus(Duration.ofDays(200))).createUser("orders-app", List.of())));
        assertThat(taken.getCode()).isEqualTo(RejectionCode.USER_EXISTS);
        assertThat(taken.getReason()).contains("user name 'orders-app' is retired on cluster 'payments'", "deleted at 2026-03-01T10:00:00Z",
                "cannot be revoked", "Choose another name", "after 2027-03-02T10:00:00Z");
        assertThat(h.state("payments").getUsers()).isEmpty();

        Instant later = deleted.plus(UserShape.RETIRED_NAME_HOLD);
        assertThat(acceptedVersion(h.send(on("payments").issuedAt(later).createUser("orders-app", List.of())))).as("every such certificate expired")
                .isPositive();
        assertThat(h.state("payments").getRetiredUsers()).as("the name is in use again").isEmpty();
        assertThat(acceptedVersion(h.send(on("payments").issuedAt(later).createUser("billing-app", List.of())))).as("other names are free").isPositive();
    }

    @Test
    void aClusterCreatedAgainAfterItsDeletionStartsWithNoRetiredNames() {
        // its CA went with its Secrets, so no certificate issued before can reach the new cluster
        create("payments", ClientAuthentication.TLS);
        acceptedVersion(h.send(on("payments").createUser("orders-app", List.of())));
        acceptedVersion(h.send(on("payments").deleteUser("orders-app")));
        acceptedVersion(h.send(on("payments").deleteCluster(false)));
        acceptedVersion(h.send(on("payments").observation("exec-1", new ClusterRemovedObserved(false))));
        assertThat(h.state("payments").getStatus().getPhase()).isEqualTo("Deleted");
        create("payments", ClientAuthentication.TLS);
        assertThat(h.state("payments").getRetiredUsers()).isEmpty();
        assertThat(acceptedVersion(h.send(on("payments").createUser("orders-app", List.of())))).isPositive();
    }

    @Test
    void aUsersQuotasAreSetWithItReplacedAsAWholeAndLeftAloneByItsAcls() {
        create("payments", ClientAuthentication.TLS);
        acceptedVersion(h.send(on("payments").createUser("orders-app", List.of(AclRules.parse("topic:orders:WRITE")),
                UserQuotas.newBuilder().setProducerByteRate(1_048_576L).setRequestPercentage(25.0).build())));
        assertThat(h.state("payments").getUsers().get("orders-app").getQuotas()).isEqualTo(new QuotaSpec(1_048_576L, null, 25.0));

        acceptedVersion(h.send(on("payments").updateUserAcls("orders-app", List.of(AclRules.parse("topic:orders:READ")))));
        assertThat(h.state("payments").getUsers().get("orders-app").getQuotas()).as("kept by an ACL change").isEqualTo(new QuotaSpec(1_048_576L, null, 25.0));

        acceptedVersion(h.send(on("payments").updateUserQuotas("orders-app", UserQuotas.newBuilder().setConsumerByteRate(2_048L).build())));
        assertThat(h.state("payments").getUsers().get("orders-app").getQuotas()).as("the whole set replaced").isEqualTo(new QuotaSpec(null, 2_048L, null));
        assertThat(h.state("payments").getUsers().get("orders-app").getAcls()).extracting(AclSpec::getOperations).containsExactly(List.of("READ"));

        CommandRejected same = rejected(h.send(on("payments").updateUserQuotas("orders-app", UserQuotas.newBuilder().setConsumerByteRate(2_048L).build())));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        acceptedVersion(h.send(on("payments").updateUserQuotas("orders-app", null)));
        assertThat(h.state("payments").getUsers().get("orders-app").getQuotas()).as("unthrottled").isNull();
        assertThat(rejected(h.send(on("payments").updateUserQuotas("orders-app", UserQuotas.newBuilder().build()))).getCode())
                .as("an empty set is no quotas too").isEqualTo(RejectionCode.NO_CHANGE);

        assertThat(rejected(h.send(on("payments").updateUserQuotas("billing-app", null))).getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);
        Command malformed = on("payments").updateUserQuotas("orders-app", null); // as a service that skips the builder's checks could write it
        malformed.setPayload(new UpdateUserQuotas("orders-app", UserQuotas.newBuilder().setProducerByteRate(0L).setRequestPercentage(-5.0).build()));
        CommandRejected bad = rejected(h.send(malformed));
        assertThat(bad.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(bad.getReason()).contains("payload.quotas.producerByteRate", "at least 1 byte per second", "payload.quotas.requestPercentage");
    }

    @Test
    void aUserNamedLikeAComponentIsAnOrdinaryUserBesideAClusterWithoutThatComponent() {
        create("payments", ClientAuthentication.TLS);
        assertThat(acceptedVersion(h.send(on("payments").createUser("connect", List.of())))).isPositive();
        assertThat(acceptedVersion(h.send(on("payments").deleteUser("connect")))).isPositive();
    }
}
