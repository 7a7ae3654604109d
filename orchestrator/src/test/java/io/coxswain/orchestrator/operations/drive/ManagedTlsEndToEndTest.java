package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.commands.client.Outcome;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import io.coxswain.orchestrator.executor.tls.ClusterTrust;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS of a managed cluster on REAL Kafka nodes in the sandbox: the executor makes the CA and the
 * node certificates, the nodes start from ConfigMaps that only name the Secret's files, and
 * replicate to each other over mutual TLS. A client reaches the brokers only over TLS, trusting
 * what an application is given: the ca.crt of {@code <cluster>-cluster-ca-cert}.
 */
class ManagedTlsEndToEndTest {

    private static final String CLUSTER = "sec";
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        world = DriveWorld.withReadyCluster(CLUSTER, "exec-tls");
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theClientListenerAcceptsTlsClientsTrustingTheClusterCaAndRefusesOthers() {
        try (Admin tls = world.admin(CLUSTER, 3)) {
            assertThat(tls.describeCluster().nodes().toCompletionStage().toCompletableFuture().join()).hasSize(3);
        }
        try (Admin plaintext = Admin.create(client(world.bootstrap(CLUSTER, 3), Map.of()))) {
            assertThatThrownBy(() -> plaintext.describeCluster().nodes().get(5, TimeUnit.SECONDS)).as("a PLAINTEXT client").isNotNull();
        }
        // a certificate chain to another CA is not trusted
        String otherCa = new CertificateIssuer().newCa("other", Instant.now()).certificate();
        try (Admin stranger = Admin.create(client(world.bootstrap(CLUSTER, 3), ClusterTrust.clientConfig(otherCa, false)))) {
            assertThatThrownBy(() -> stranger.describeCluster().nodes().get(5, TimeUnit.SECONDS)).as("a client trusting another CA").isNotNull();
        }
    }

    @Test
    void theReplicationListenerRequiresAClientCertificate() {
        String replication = world.bootstrapOf(CLUSTER, 3, "REPLICATION");
        try (Admin noCertificate = Admin.create(client(replication, world.clientSecurity(CLUSTER)))) {
            assertThatThrownBy(() -> noCertificate.describeCluster().nodes().get(5, TimeUnit.SECONDS))
                    .as("a TLS client without a certificate on the inter-broker listener").isNotNull();
        }
    }

    @Test
    void brokersReplicateOverMutualTls() {
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic("replicated", 3, 3, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
        try (Admin admin = world.admin(CLUSTER, 3)) {
            DriveWorld.await(Duration.ofSeconds(60), () -> "topic 'replicated' created by the executor, every replica in sync", () -> {
                try {
                    TopicDescription d = admin.describeTopics(List.of("replicated")).allTopicNames().get(5, TimeUnit.SECONDS).get("replicated");
                    return d.partitions().size() == 3 && d.partitions().stream().allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3);
                } catch (Exception e) {
                    return false; // not created yet
                }
            });
        }
    }

    /** Not TLS, but this is the suite's real 3-broker cluster: Connect and ksqlDB create their topics this way. */
    @Test
    void aTopicCreatedWithoutAReplicaCountIsReplicatedThreeTimes() throws Exception {
        try (Admin admin = world.admin(CLUSTER, 3)) {
            admin.createTopics(List.of(new NewTopic("_connect-offsets", Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            // the broker answering the describe may not have the new topic's metadata yet
            DriveWorld.await(Duration.ofSeconds(30), () -> "the new topic described", () -> {
                try {
                    return admin.describeTopics(List.of("_connect-offsets")).allTopicNames().get(5, TimeUnit.SECONDS).containsKey("_connect-offsets");
                } catch (Exception e) {
                    return false;
                }
            });
            TopicDescription d = admin.describeTopics(List.of("_connect-offsets")).allTopicNames().get(30, TimeUnit.SECONDS).get("_connect-offsets");
            assertThat(d.partitions()).singleElement().satisfies(p -> assertThat(p.replicas()).as("replicas chosen by the controller").hasSize(3));
        }
    }

    @Test
    void noConfigMapHoldsKeyMaterial() {
        List<ConfigMap> maps = world.kube.client().configMaps().inNamespace(CLUSTER).list().getItems();
        assertThat(maps).isNotEmpty().allSatisfy(m -> assertThat(String.join("\n", m.getData().values()))
                .doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE"));
    }

    private static Map<String, Object> client(String bootstrap, Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put("bootstrap.servers", bootstrap);
        config.put("request.timeout.ms", 3000);
        config.put("default.api.timeout.ms", 5000);
        return config;
    }
}
