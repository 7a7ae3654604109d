package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ComponentConfigMaps;
import io.coxswain.orchestrator.executor.model.ComponentPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.StringReader;
import java.util.Properties;
import io.coxswain.orchestrator.executor.tls.ClusterTrust;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Application identities on REAL Kafka nodes in the sandbox: a cluster created with clientAuthentication
 * TLS takes only clients with a certificate its CA issued; Coxswain's own Admin (CN=coxswain-operator)
 * still creates its topics; a user created by command gets a Secret an application configures a real
 * producer from, and exactly the ACLs asked for; deleting the user takes both away. A SCRAM-SHA-512 user
 * opens the brokers' SCRAM listener with a roll, writes over SASL_SSL where its ACLs allow, is refused elsewhere,
 * with a wrong password and once deleted; the last SCRAM user gone, a roll closes the listener. The tests share
 * the cluster (its start is most of their time), each with its own users, topics and command ids.
 */
class UsersEndToEndTest {

    private static final String CLUSTER = "acl";
    private static final String USER = "orders-app";
    private static final String SCRAM_USER = "py-app";
    private static final int BROKERS = 2;
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        // two brokers: one to roll while users change, one to take their ACLs and their writes meanwhile
        world = DriveWorld.withReadyTlsCluster(CLUSTER, "exec-acl", BROKERS);
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aUserWritesWhereItsAclsAllowIsRefusedElsewhereAndLosesBothWhenDeleted() {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic("orders.created", 1, 1, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("topic-2").createTopic("payments.x", 1, 1, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("user").createUser(USER,
                List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"))));

        Secret secret = awaitSecret(USER);
        Map<String, String> files = TlsSecrets.decoded(secret);
        assertThat(files).containsOnlyKeys("user.crt", "user.key", "user.pem", "ca.crt");
        assertThat(files.get("user.key")).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(files.get("user.pem")).isEqualTo(files.get("user.key") + files.get("user.crt"));
        assertThat(secret.getMetadata().getLabels()).as("what DeleteCluster removes")
                .containsAllEntriesOf(ClusterNames.of(CLUSTER, CLUSTER).clusterSelector());

        // the topic was created by Coxswain's own Admin, and the ACLs applied by it: the operator is a super user
        DriveWorld.await(Duration.ofSeconds(60), () -> USER + " writes to orders.created", () -> writes(files, "orders.created") == null);
        Throwable refused = writes(files, "payments.x");
        assertThat(refused).as("a topic outside the user's prefix").isInstanceOf(TopicAuthorizationException.class);

        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getName().equals("User:" + USER)).first().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.CREATE);
            assertThat(a.getKind()).isEqualTo(UserSync.ACL_KIND);
            assertThat(a.getCauseCommandId()).isEqualTo("user");
            assertThat(a.getDetail()).contains("ALLOW WRITE on TOPIC PREFIXED 'orders'", "ALLOW DESCRIBE on TOPIC PREFIXED 'orders'");
        });
        assertThat(world.actions(CLUSTER)).extracting(ResourceActionObserved::toString).allSatisfy(a -> assertThat(a).doesNotContain("BEGIN"));

        // the whole list replaced: the executor deletes the bindings no longer asked for and creates the new ones
        accepted(Commands.on(CLUSTER).issuer("test").commandId("regrant").updateUserAcls(USER,
                List.of(AclRules.parse("topic:payments:prefixed:WRITE,DESCRIBE"))));
        DriveWorld.await(Duration.ofSeconds(60), () -> USER + " writes to payments.x", () -> writes(files, "payments.x") == null);
        // each broker takes the ACLs from its own copy of the metadata: the broker a new producer asks about orders.created may not
        // yet have the deletion that the one it wrote payments.x through had
        DriveWorld.await(Duration.ofSeconds(60), () -> USER + " refused orders.created, a topic the new list no longer allows",
                () -> writes(files, "orders.created") instanceof TopicAuthorizationException);

        accepted(Commands.on(CLUSTER).issuer("test").commandId("delete-user").deleteUser(USER));
        DriveWorld.await(Duration.ofSeconds(60), () -> "the user's Secret removed", () -> secret(USER) == null);
        // the certificate still chains to the CA (it cannot be revoked), but no ACL lets its principal do anything: the ACLs were
        // deleted before the Secret, and each broker takes the deletion from its metadata a moment after the controller commits it
        DriveWorld.await(Duration.ofSeconds(60), () -> "the deleted user's producer refused on payments.x",
                () -> writes(files, "payments.x") instanceof AuthorizationException);
    }

    @Test
    void aUserCreatedWhileARollIsStuckGetsItsCertificateAndAclsWithoutWaitingForTheRoll() {
        // the topic first: topics wait for a running operation, users do not
        accepted(Commands.on(CLUSTER).issuer("test").commandId("stock-topic").createTopic("stock.levels", 1, BROKERS, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("stock-writer").createUser("stock-writer",
                List.of(AclRules.parse("topic:stock:prefixed:WRITE,DESCRIBE"))));
        Map<String, String> writer = TlsSecrets.decoded(awaitSecret("stock-writer"));
        DriveWorld.await(Duration.ofSeconds(60), () -> "stock-writer writes to stock.levels", () -> writes(writer, "stock.levels") == null);

        Command restart = Commands.on(CLUSTER).issuer("test").commandId("stuck-restart").restartCluster("brokers", null);
        world.kube.setNeverReady(pod -> pod.startsWith(CLUSTER + "-broker-")); // the first broker restarted stays unready: the roll waits
        try {
            accepted(restart);
            world.awaitState(CLUSTER, Duration.ofSeconds(60), "the restart waiting on its first broker", s -> s.getStatus().getOperation() != null
                    && restart.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId())
                    && s.getStatus().getComponents().get("brokers").getReady() == BROKERS - 1);

            accepted(Commands.on(CLUSTER).issuer("test").commandId("late-user").createUser("stock-reader",
                    List.of(AclRules.parse("topic:stock:prefixed:WRITE,DESCRIBE"))));
            Map<String, String> reader = TlsSecrets.decoded(awaitSecret("stock-reader"));
            DriveWorld.await(Duration.ofSeconds(60), () -> "stock-reader writes to stock.levels while the restart waits",
                    () -> writes(reader, "stock.levels") == null);
            assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation()).satisfies(op -> {
                assertThat(op.getCauseCommandId()).isEqualTo(restart.getCommandId());
                assertThat(op.getState()).as("the roll still waits on its broker").isEqualTo("RUNNING");
            });
            assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getName().equals("User:stock-reader")).first()
                    .satisfies(a -> assertThat(a.getCauseCommandId()).as("the command the ACLs answer").isEqualTo("late-user"));
            accepted(Commands.on(CLUSTER).issuer("test").commandId("late-topic").createTopic("stock.audit", 1, 1, Map.of()));
        } finally {
            world.kube.setNeverReady(pod -> false);
        }
        world.awaitState(CLUSTER, Duration.ofSeconds(120), "the restart finished", s -> "SUCCEEDED".equals(s.getStatus().getOperation().getState())
                && restart.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId()) && "Ready".equals(s.getStatus().getPhase()));
        // the topic waited for the roll, and was created by the pass that drove it: still the CreateTopic's doing, not the restart's
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic stock.audit created", () -> world.actions(CLUSTER).stream()
                .anyMatch(a -> a.getName().equals("stock.audit") && a.getAction() == ResourceAction.CREATE));
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getName().equals("stock.audit")).first()
                .satisfies(a -> assertThat(a.getCauseCommandId()).as("the command the topic answers").isEqualTo("late-topic"));
    }

    @Test
    void schemaRegistryConnectsAsTheUserOfItsNameWithTheFilesItsPodsMount() throws IOException {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("schemas-topic").createTopic("_schemas", 1, BROKERS, Map.of("cleanup.policy", "compact")));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("registry-user").createUser("schema-registry",
                List.of(AclRules.parse("topic:_schemas:ALL"), AclRules.parse("group:schema-registry:ALL"))));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("registry").setComponent("schema-registry", 1, null, null, Map.of()));

        Map<String, String> identity = TlsSecrets.decoded(awaitSecret("schema-registry"));
        ClusterNames names = ClusterNames.of(CLUSTER, CLUSTER);
        DriveWorld.await(Duration.ofSeconds(60), () -> "the registry's pods started with its certificate", () -> {
            StatefulSet sts = world.kube.client().apps().statefulSets().inNamespace(CLUSTER).withName(names.component(PlatformComponent.SCHEMA_REGISTRY)).get();
            return sts != null && KafkaProperties.hash(identity.get("user.crt")).equals(sts.getSpec().getTemplate().getMetadata().getAnnotations()
                    .get(ComponentPodTemplate.IDENTITY_ANNOTATION));
        });
        StatefulSet sts = world.kube.client().apps().statefulSets().inNamespace(CLUSTER).withName(names.component(PlatformComponent.SCHEMA_REGISTRY)).get();
        assertThat(sts.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo(CLUSTER + "-user-schema-registry"));

        // the registry's own Kafka settings, as its pods read them (the kafkastore. keys of its properties file), on the mounted files
        String file = world.kube.client().configMaps().inNamespace(CLUSTER).withName(names.componentConfigMap(PlatformComponent.SCHEMA_REGISTRY)).get()
                .getData().get(ComponentConfigMaps.propertiesKey(PlatformComponent.SCHEMA_REGISTRY));
        Properties rendered = new Properties();
        rendered.load(new StringReader(file));
        Path mounted = Files.createTempDirectory("coxswain-registry-pod");
        try {
            Files.writeString(mounted.resolve("user.pem"), identity.get("user.pem"));
            Files.writeString(mounted.resolve("ca.crt"), identity.get("ca.crt"));
            Map<String, Object> config = new HashMap<>();
            rendered.stringPropertyNames().stream().filter(k -> k.startsWith("kafkastore.") && !k.equals("kafkastore.bootstrap.servers"))
                    .forEach(k -> config.put(k.substring("kafkastore.".length()), rendered.getProperty(k)
                            .replace(ComponentPodTemplate.IDENTITY_MOUNT, mounted.toString())
                            .replace(ComponentPodTemplate.CLUSTER_CA_MOUNT, mounted.toString())));
            assertThat(config).containsKeys("security.protocol", "ssl.keystore.location", "ssl.truststore.location");
            config.put("bootstrap.servers", world.bootstrap(CLUSTER, BROKERS)); // the sandbox's nodes, at 127.0.0.1
            config.put("ssl.endpoint.identification.algorithm", "");
            config.put("max.block.ms", 5000);
            config.put("delivery.timeout.ms", 5000);
            config.put("request.timeout.ms", 3000);
            DriveWorld.await(Duration.ofSeconds(60), () -> "the registry writes to _schemas", () -> send(config, "_schemas") == null);
            assertThat(send(config, "other.topic")).as("a topic its user's ACLs do not name").isInstanceOf(TopicAuthorizationException.class);
        } finally {
            SharedKafka.deleteQuietly(mounted);
        }
    }

    @Test
    void aUsersQuotasAreKafkasClientQuotasOfItsPrincipalChangedWithItAndRemovedWithIt() {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("metered").createUser("metered-app", List.of(),
                UserQuotas.newBuilder().setProducerByteRate(1_048_576L).setRequestPercentage(25.0).build()));
        try (Admin admin = operatorAdmin()) {
            DriveWorld.await(Duration.ofSeconds(60), () -> "metered-app's quotas on the brokers",
                    () -> quotasOf(admin, "metered-app").equals(Map.of("producer_byte_rate", 1_048_576.0, "request_percentage", 25.0)));
            accepted(Commands.on(CLUSTER).issuer("test").commandId("metered-2").updateUserQuotas("metered-app",
                    UserQuotas.newBuilder().setConsumerByteRate(2_097_152L).build()));
            DriveWorld.await(Duration.ofSeconds(60), () -> "metered-app's quotas replaced as a whole",
                    () -> quotasOf(admin, "metered-app").equals(Map.of("consumer_byte_rate", 2_097_152.0)));
            accepted(Commands.on(CLUSTER).issuer("test").commandId("metered-gone").deleteUser("metered-app"));
            DriveWorld.await(Duration.ofSeconds(60), () -> "metered-app's quotas removed with it", () -> quotasOf(admin, "metered-app").isEmpty());
        }
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getKind().equals(ClientQuotas.KIND) && a.getCauseCommandId().equals("metered")).first()
                .satisfies(a -> {
                    assertThat(a.getName()).isEqualTo("User:metered-app");
                    assertThat(a.getReason()).contains("producer_byte_rate=1048576", "request_percentage=25");
                });
    }

    @Test
    void aClientWithoutACertificateCannotConnect() {
        String ca = ClusterTrust.caCertificate(world.kube.client(), ClusterNames.of(CLUSTER, CLUSTER))
                .orElseThrow();
        Map<String, Object> config = new HashMap<>(ClusterTrust.clientConfig(ca, false));
        config.put("bootstrap.servers", world.bootstrap(CLUSTER, 1));
        config.put("request.timeout.ms", 3000);
        config.put("default.api.timeout.ms", 5000);
        try (Admin anonymous = Admin.create(config)) {
            assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(5, TimeUnit.SECONDS))
                    .as("a TLS client trusting the cluster CA, presenting no certificate").isNotNull();
        }
    }

    @Test
    void aScramUserWritesOverSaslSslWhereItsAclsAllowAndNowhereOnceDeleted() {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("scram-topic").createTopic("orders", 1, BROKERS, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("scram-topic-2").createTopic("payroll", 1, BROKERS, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("scram-user").createUser(SCRAM_USER,
                List.of(AclRules.parse("topic:orders:WRITE,DESCRIBE")), null, "SCRAM-SHA-512"));

        Map<String, String> files = TlsSecrets.decoded(awaitSecret(SCRAM_USER));
        assertThat(files).containsOnlyKeys("password", "sasl.jaas.config", "ca.crt");
        assertThat(files.get("password")).matches("[A-Za-z0-9]{32}");
        assertThat(files.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + SCRAM_USER + "\" password=\"" + files.get("password") + "\";");

        // the brokers roll to open the listener: writes succeed once it is up and the credential is set
        DriveWorld.await(Duration.ofSeconds(180), () -> SCRAM_USER + " writes to orders over SASL_SSL",
                () -> writesWithPassword(files.get("sasl.jaas.config"), "orders") == null);
        assertThat(writesWithPassword(files.get("sasl.jaas.config"), "payroll")).as("a topic no ACL gives it")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(Producers.asUser(world.bootstrapOf(CLUSTER, BROKERS, "SCRAM"), files, "orders"))
                .as("configured as cox client-config prints it, the password read from the mounted Secret's file").isNull();
        String wrong = files.get("sasl.jaas.config").replace(files.get("password"), "not-the-password");
        assertThat(writesWithPassword(wrong, "orders")).as("a wrong password").isInstanceOf(SaslAuthenticationException.class);
        assertThat(world.state(CLUSTER).orElseThrow().getSpec().getScramListener()).isTrue();
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.RESTART && "scram-user".equals(a.getCauseCommandId()))
                .as("the listener's roll, caused by the CreateUser: brokers only, controllers have no SCRAM listener")
                .isNotEmpty().allSatisfy(a -> assertThat(a.getName()).startsWith(CLUSTER + "-broker-"));
        assertThat(world.actions(CLUSTER)).filteredOn(a -> ScramCredentials.KIND.equals(a.getKind())).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.APPLY);
            assertThat(a.getName()).isEqualTo("User:" + SCRAM_USER);
            assertThat(a.getCauseCommandId()).isEqualTo("scram-user");
        });
        assertThat(world.actions(CLUSTER)).allSatisfy(a -> assertThat(a.toString()).doesNotContain(files.get("password")));

        world.awaitState(CLUSTER, Duration.ofSeconds(180), "the listener's roll over", s -> s.getStatus().getOperation() != null
                && "scram-user".equals(s.getStatus().getOperation().getCauseCommandId()) && "SUCCEEDED".equals(s.getStatus().getOperation().getState()));
        Map<String, String> rotated = rotatesThePassword(files);

        accepted(Commands.on(CLUSTER).issuer("test").commandId("scram-delete-user").deleteUser(SCRAM_USER));
        DriveWorld.await(Duration.ofSeconds(60), () -> "the user's Secret removed", () -> secret(SCRAM_USER) == null);
        DriveWorld.await(Duration.ofSeconds(60), () -> "the deleted user's password refused",
                () -> writesWithPassword(rotated.get("sasl.jaas.config"), "orders") instanceof SaslAuthenticationException);

        // the last SCRAM user gone: the brokers roll once more, to a configuration without the listener
        world.awaitState(CLUSTER, Duration.ofSeconds(180), "the listener closed by a roll caused by the DeleteUser", s ->
                !s.getSpec().getScramListener() && s.getStatus().getOperation() != null
                        && "scram-delete-user".equals(s.getStatus().getOperation().getCauseCommandId())
                        && "SUCCEEDED".equals(s.getStatus().getOperation().getState()));
        assertThat(writesWithPassword(rotated.get("sasl.jaas.config"), "orders")).as("nothing listens on the SCRAM port any more").isNotNull();
    }

    /**
     * RotateUserPassword: a new password in the Secret, taken by Kafka, the old one refused; no pod
     * restarts; every action the rotation's doing. Returns the Secret's new entries.
     */
    private static Map<String, String> rotatesThePassword(Map<String, String> before) {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("scram-rotate").rotateUserPassword(SCRAM_USER, "pasted into a ticket"));
        DriveWorld.await(Duration.ofSeconds(60), () -> "a new password in the Secret of " + SCRAM_USER,
                () -> !before.get("password").equals(TlsSecrets.decoded(secret(SCRAM_USER)).get("password")));
        Map<String, String> after = TlsSecrets.decoded(secret(SCRAM_USER));
        assertThat(after.get("password")).matches("[A-Za-z0-9]{32}");
        assertThat(after.get("sasl.jaas.config")).contains("password=\"" + after.get("password") + "\"");
        DriveWorld.await(Duration.ofSeconds(60), () -> SCRAM_USER + " writes with the new password",
                () -> writesWithPassword(after.get("sasl.jaas.config"), "orders") == null);
        DriveWorld.await(Duration.ofSeconds(60), () -> "the old password refused",
                () -> writesWithPassword(before.get("sasl.jaas.config"), "orders") instanceof SaslAuthenticationException);
        assertThat(world.actions(CLUSTER)).filteredOn(a -> "scram-rotate".equals(a.getCauseCommandId()))
                .as("the Secret's new password, then Kafka's credential; no restart")
                .extracting(a -> a.getAction() + " " + a.getKind())
                .containsExactly("UPDATE " + UserSync.SECRET_KIND, "APPLY " + ScramCredentials.KIND);
        assertThat(world.actions(CLUSTER)).allSatisfy(a -> assertThat(a.toString()).doesNotContain(after.get("password")));
        return after;
    }

    /** One record sent as an application configured from a SCRAM user's Secret would be; null when written. */
    private static Throwable writesWithPassword(String jaas, String topic) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(CLUSTER));
        config.put("bootstrap.servers", world.bootstrapOf(CLUSTER, BROKERS, "SCRAM"));
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", jaas);
        return Producers.send(config, topic);
    }

    /** One record sent as the user whose Secret holds {@code files}; null when written. */
    private static Throwable writes(Map<String, String> files, String topic) {
        return Producers.asUser(world.bootstrap(CLUSTER, BROKERS), files, topic);
    }

    private static Throwable send(Map<String, Object> config, String topic) {
        return Producers.send(config, topic);
    }

    /** An Admin client of the cluster as Coxswain's own (its Secret {@code <cluster>-operator-tls}): a super user. */
    private static Admin operatorAdmin() {
        Map<String, String> operator = TlsSecrets.decoded(world.kube.client().secrets().inNamespace(CLUSTER)
                .withName(ClusterNames.of(CLUSTER, CLUSTER).operatorTlsSecret()).get());
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", world.bootstrap(CLUSTER, BROKERS));
        config.put("security.protocol", "SSL");
        config.put("ssl.keystore.type", "PEM");
        config.put("ssl.keystore.certificate.chain", operator.get("user.crt"));
        config.put("ssl.keystore.key", operator.get("user.key"));
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.certificates", operator.get("ca.crt"));
        config.put("ssl.endpoint.identification.algorithm", "");
        return Admin.create(config);
    }

    private static Map<String, Double> quotasOf(Admin admin, String user) {
        ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user)));
        try {
            return admin.describeClientQuotas(filter).entities().get(10, TimeUnit.SECONDS).values().stream().findFirst().orElse(Map.of());
        } catch (Exception e) {
            throw new AssertionError("describeClientQuotas of " + user + " failed", e);
        }
    }

    private static Secret awaitSecret(String user) {
        DriveWorld.await(Duration.ofSeconds(60), () -> "Secret " + CLUSTER + "-user-" + user, () -> secret(user) != null);
        return secret(user);
    }

    private static Secret secret(String user) {
        return world.kube.client().secrets().inNamespace(CLUSTER).withName(CLUSTER + "-user-" + user).get();
    }

    private static void accepted(Command command) {
        assertThat(world.send(command)).as(command.getCommandId()).isInstanceOf(Outcome.Accepted.class);
    }
}
