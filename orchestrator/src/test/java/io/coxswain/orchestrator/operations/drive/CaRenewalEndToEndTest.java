package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.ClusterTrust;
import io.coxswain.orchestrator.executor.tls.Pem;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Pod;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * CA renewals on REAL Kafka nodes in the sandbox, one cluster for both cases, in order. First the CA
 * Secret of a running cluster (1 controller, 2 brokers) is deleted and the executor restarted (it checks at once):
 * the old CA stays trusted from the node Secret, the new one is added, the cluster rolls twice
 * through the checked rolling restart. Then a person asks for the CA to be replaced
 * (ReplaceClusterCa): three rolls, after which no node trusts the old CA. Clients trusting the
 * cluster-ca-cert bundle as it is keep working throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaRenewalEndToEndTest {

    private static final String CLUSTER = "rot";
    private static final ClusterNames NAMES = ClusterNames.of(CLUSTER, "{cluster}");
    /**
     * Two brokers: enough for a roll that keeps every partition writable (replication factor 2, min.insync.replicas 1)
     * and for every broker's certificate to be checked; a third only added a restart to each of the five rolls.
     */
    private static final int BROKERS = 2;
    /** The controller and the brokers: each restarted once per roll. */
    private static final int PODS = 1 + BROKERS;
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        world = DriveWorld.withReadyCluster("exec-ca-1", Commands.on(CLUSTER).issuer("test").commandId("create")
                .createCluster("4.3.1", 1, BROKERS, "1Gi"));
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    void aLostCaIsReplacedInTwoRollsWhileClientsTrustingTheBundleKeepWorking() throws Exception {
        String oldCa = Pem.certificates(secret(NAMES.clusterCaCertSecret()).get("ca.crt")).get(0);
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic("rotating", 3, BROKERS,
                Map.of("min.insync.replicas", "1")))).isInstanceOf(Outcome.Accepted.class);
        List<String> failures = new ArrayList<>();
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic 'rotating' writable", () -> probe(new ArrayList<>()));
        assertThat(presentedBy(oldCa)).as("before: every broker presents a certificate of the CA").isTrue();

        world.killExecutor();
        world.kube.client().secrets().inNamespace(CLUSTER).withName(NAMES.clusterCaSecret()).delete();
        world.startExecutor("exec-ca-2");

        // step 1: a new CA beside the old one (kept from the node Secret); a producer made now trusts both to the end
        DriveWorld.await(Duration.ofSeconds(60), () -> "a new CA trusted beside the old", () -> secret(NAMES.clusterCaSecret()).containsKey("next-ca.crt"));
        String newCa = secret(NAMES.clusterCaSecret()).get("next-ca.crt");
        // the executor writes the CA Secret, then the cluster-ca-cert bundle from it: the bundle may not have the new CA yet
        DriveWorld.await(Duration.ofSeconds(60), () -> "the new CA in the bundle of " + NAMES.clusterCaCertSecret(),
                () -> Pem.certificates(secret(NAMES.clusterCaCertSecret()).get("ca.crt")).contains(newCa));
        assertThat(Pem.certificates(secret(NAMES.clusterCaCertSecret()).get("ca.crt"))).containsExactlyInAnyOrder(oldCa, newCa);
        try (KafkaProducer<String, String> bundleProducer = producer()) {
            long[] lastProbe = {0};
            DriveWorld.await(Duration.ofSeconds(420), () -> "the new CA signing and every pod restarted on its certificates (failures "
                    + failures + ")", () -> {
                        if (System.nanoTime() - lastProbe[0] > TimeUnit.SECONDS.toNanos(5)) {
                            lastProbe[0] = System.nanoTime();
                            probe(failures);
                        }
                        // the node Secret after the CA Secret: read in that order, a re-issue written is seen whole
                        int renewals = renewals();
                        return renewals >= 2 && newCa.equals(secret(NAMES.clusterCaSecret()).get("ca.crt")) && everyPodStartedAt(renewals);
                    });
            assertThat(failures).as("clients trusting the bundle during both rolls").isEmpty();
            assertThat(presentedBy(newCa)).as("after: every broker presents a certificate of the new CA").isTrue();
            bundleProducer.send(new ProducerRecord<>("rotating", "after", "v")).get(30, TimeUnit.SECONDS);
        }
        assertThat(secret(NAMES.clusterCaSecret())).containsEntry("retired-ca.crt", oldCa).doesNotContainKey("next-ca.crt");
        assertThat(renewals()).as("two rolls: trust both, then re-issue").isEqualTo(2);
        assertThat(world.actions(CLUSTER)).extracting(a -> a.getReason()).anySatisfy(r -> assertThat(r).contains("step 1 of 2"))
                .anySatisfy(r -> assertThat(r).contains("step 2 of 2"));
        // the second roll has an id of its own (its cause's first roll ended), and the same cause: a command of the log
        Set<String> commands = world.commandLog().stream().map(c -> c.getCommandId()).collect(Collectors.toSet());
        assertThat(world.actions(CLUSTER)).extracting(a -> a.getCauseCommandId()).filteredOn(Objects::nonNull)
                .as("every action's cause is a command of the log, as the audit trail joins them").allMatch(commands::contains);
    }

    @Test
    @Order(2)
    void aReplacementAskedForEndsWithEveryNodeOnTheNewKeyAndTheOldCaTrustedNowhere() throws Exception {
        // the renewal's second roll records its last step after the pods are back: one operation at a time
        world.awaitState(CLUSTER, Duration.ofSeconds(60), "the renewal's roll ended", s -> s.getStatus().getOperation() == null
                || !"RUNNING".equals(s.getStatus().getOperation().getState()));
        String oldCa = secret(NAMES.clusterCaSecret()).get("ca.crt");
        int before = renewals();
        assertThat(world.send(Commands.on(CLUSTER).issuer("security").commandId("ca-1").replaceClusterCa("CA key copied to a lost laptop")))
                .isInstanceOf(Outcome.Accepted.class);
        List<String> failures = new ArrayList<>();
        long[] lastProbe = {0};
        ClusterState done = world.awaitState(CLUSTER, Duration.ofSeconds(480), "the ReplaceClusterCa operation SUCCEEDED (failures " + failures + ")", s -> {
            if (System.nanoTime() - lastProbe[0] > TimeUnit.SECONDS.toNanos(5)) {
                lastProbe[0] = System.nanoTime();
                probe(failures);
            }
            OperationStatus op = s.getStatus().getOperation();
            return op != null && "ReplaceClusterCa/ca-1".equals(op.getOperationId()) && "SUCCEEDED".equals(op.getState());
        });
        assertThat(failures).as("clients trusting the bundle as it is, through three rolls").isEmpty();
        assertThat(done.getSpec().getCaReplacement()).as("the request settled").isNull();
        assertThat(done.getStatus().getOperation().getSteps()).filteredOn(st -> "FINISHED".equals(st.getState())).extracting(st -> st.getStep())
                .containsSubsequence("trust-new-ca", "reissue-certificates", "distrust-old-ca");

        String newCa = secret(NAMES.clusterCaSecret()).get("ca.crt");
        assertThat(Pem.certificate(newCa).getPublicKey()).as("a new key").isNotEqualTo(Pem.certificate(oldCa).getPublicKey());
        assertThat(presentedBy(newCa)).as("every broker presents a certificate of the new CA").isTrue();
        assertThat(presentedBy(oldCa)).as("and none of the old").isFalse();
        assertThat(Pem.certificates(secret(NAMES.kafkaTlsSecret()).get("ca.crt"))).as("what the nodes trust").containsExactly(newCa);
        assertThat(Pem.certificates(secret(NAMES.clusterCaCertSecret()).get("ca.crt"))).containsExactly(newCa);
        String fingerprint = Pem.fingerprint(newCa);
        ClusterState reported = world.awaitState(CLUSTER, Duration.ofSeconds(30), "status.ca reporting the new CA alone", s ->
                s.getStatus().getCa() != null && s.getStatus().getCa().getTrusted().equals(List.of(fingerprint)));
        assertThat(reported.getStatus().getCa().getFingerprint()).isEqualTo(fingerprint);
        assertThat(reported.getStatus().getCa().getNotAfter()).isEqualTo(Pem.certificate(newCa).getNotAfter().toInstant());
        assertThat(renewals()).as("three rolls: trust both, re-issue, distrust").isEqualTo(before + 3);
        assertThat(everyPodStartedAt(before + 3)).isTrue();
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.RESTART && "CaReplacement".equals(a.getReason()))
                .as("each of the " + PODS + " pods restarted once per step, for the replacement").hasSize(3 * PODS)
                .allMatch(a -> "ca-1".equals(a.getCauseCommandId()));
    }

    /** A fresh Admin and producer trusting the cluster-ca-cert as it is now, as an application reloading it: describe, then write. */
    private static boolean probe(List<String> failures) {
        try (Admin admin = Admin.create(client())) {
            admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = producer()) {
                producer.send(new ProducerRecord<>("rotating", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            return true;
        } catch (Exception e) {
            failures.add(e.toString());
            return false;
        }
    }

    private static KafkaProducer<String, String> producer() {
        Map<String, Object> config = client();
        config.put("acks", "all");
        config.put("delivery.timeout.ms", 30000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>(ClusterTrust.clientConfig(secret(NAMES.clusterCaCertSecret()).get("ca.crt"), false));
        config.put("bootstrap.servers", world.bootstrap(CLUSTER, BROKERS));
        config.put("request.timeout.ms", 10000);
        config.put("default.api.timeout.ms", 20000);
        return config;
    }

    /** Whether each broker's CLIENTS listener presents a certificate signed by {@code ca}: a handshake per broker. */
    private static boolean presentedBy(String ca) throws Exception {
        PublicKey key = Pem.certificate(ca).getPublicKey();
        for (String address : world.bootstrap(CLUSTER, BROKERS).split(",")) {
            X509Certificate[] chain = handshake(address.substring(0, address.lastIndexOf(':')), Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            try {
                chain[0].verify(key);
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        }
        return true;
    }

    private static X509Certificate[] handshake(String host, int port) throws Exception {
        X509Certificate[][] seen = new X509Certificate[1][];
        TrustManager recordAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recordAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout(10000);
            socket.startHandshake();
        }
        return seen[0];
    }

    private static boolean everyPodStartedAt(int renewal) {
        List<Pod> pods = world.kube.client().pods().inNamespace(CLUSTER).withLabels(NAMES.clusterSelector()).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().contains("-controller-") || p.getMetadata().getName().contains("-broker-")).toList();
        return pods.size() == PODS && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                && String.valueOf(renewal).equals(p.getMetadata().getAnnotations().get(TlsSecrets.RENEWALS_ANNOTATION))
                && p.getStatus() != null && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }

    private static int renewals() {
        return TlsSecrets.renewals(world.kube.client().secrets().inNamespace(CLUSTER).withName(NAMES.kafkaTlsSecret()).get());
    }

    private static Map<String, String> secret(String name) {
        return TlsSecrets.decoded(world.kube.client().secrets().inNamespace(CLUSTER).withName(name).get());
    }
}
