package io.coxswain.orchestrator.executor.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker reached through a load balancer answers, in its certificate, for the address clients
 * outside connect to: Kafka's clients verify host names by default, and would refuse it otherwise.
 */
@EnableKubernetesMockClient(crud = true)
class ExternalNamesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ReconcilePass pass = new ReconcilePass(TestStates.created("payments", 1, 2), "create-1");
    KubernetesClient client;
    private RecordingSink sink;
    private ClusterTls tls;

    @BeforeEach
    void setUp() {
        sink = new RecordingSink();
        tls = new ClusterTls(new KubeObjects(client), new ActionRecorder(sink, c -> true), new CertificateIssuer(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void aBrokersLoadBalancerAddressJoinsItsCertificateAsADnsNameOrAnIpAddressInOneRenewal() throws Exception {
        assertThat(tls.ensure(pass, names, ClusterTls.Shape.internal(1, 2, 0))).isZero();
        String broker1Before = entries().get("payments-broker-1.crt");

        // Kubernetes gave broker 0's load balancer a host name: its certificate is re-issued, and counted so the pod rolls
        assertThat(tls.ensure(pass, names, new ClusterTls.Shape(1, 2, 2, Map.of(0, "kafka-0.payments.example.com")))).isEqualTo(1);
        assertThat(SubjectNames.in(certificate("payments-broker-0"))).contains("kafka-0.payments.example.com", "payments-kafka-bootstrap.payments.svc");
        assertThat(entries().get("payments-broker-1.crt")).as("a broker without an address of its own keeps its certificate").isEqualTo(broker1Before);
        assertThat(sink.actions(ResourceAction.UPDATE).get(0).getReason()).contains("payments-broker-0 (lacks one of the pod's DNS names or addresses)");

        // broker 1's load balancer got an IP: an IP entry, in whatever spelling, and a second pass issues nothing more
        assertThat(tls.ensure(pass, names, new ClusterTls.Shape(1, 2, 2, Map.of(0, "kafka-0.payments.example.com", 1, "2001:db8::7")))).isEqualTo(2);
        assertThat(SubjectNames.in(certificate("payments-broker-1"))).contains("2001:db8:0:0:0:0:0:7");
        sink.clear();
        ClusterTls fresh = new ClusterTls(new KubeObjects(client), new ActionRecorder(sink, c -> true), new CertificateIssuer(), Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(fresh.ensure(pass, names, new ClusterTls.Shape(1, 2, 2, Map.of(0, "kafka-0.payments.example.com", 1, "2001:0db8:0::7")))).isEqualTo(2);
        assertThat(sink.all()).as("an executor checking the same names again writes nothing").isEmpty();
    }

    @Test
    void aClientThatVerifiesHostNamesAcceptsTheBrokerAtItsLoadBalancerIpAndRefusesItWithoutIt() throws Exception {
        CertificateIssuer issuer = new CertificateIssuer();
        KeyMaterial ca = issuer.newCa("payments", T0);
        List<String> internal = TlsSecrets.dnsNames(names, io.coxswain.orchestrator.executor.model.KafkaRole.BROKER, 0);
        KeyMaterial withAddress = issuer.node(ca, "payments-broker-0", TlsSecrets.nodes(names, 0, 1, Map.of(0, "127.0.0.1")).get("payments-broker-0"), Instant.now());
        KeyMaterial without = issuer.node(ca, "payments-broker-0", internal, Instant.now());

        handshake(withAddress, ca);
        assertThatThrownBy(() -> handshake(without, ca)).isInstanceOf(SSLHandshakeException.class);
    }

    /** A TLS server presenting {@code node} on 127.0.0.1, and a client trusting {@code ca} that checks the address as Kafka's clients do. */
    private static void handshake(KeyMaterial node, KeyMaterial ca) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", Pem.privateKey(node.key()), new char[0], new Certificate[] {Pem.certificate(node.certificate())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificate(ca.certificate()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listening.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    // the client refused the certificate: its side tells why
                }
            });
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(loopback, listening.getLocalPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // ssl.endpoint.identification.algorithm=https
                socket.setSSLParameters(parameters);
                socket.startHandshake();
            } finally {
                accepted.join();
            }
        }
    }

    private Map<String, String> entries() {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName("payments-kafka-tls").get());
    }

    private X509Certificate certificate(String pod) throws GeneralSecurityException {
        return Pem.certificate(entries().get(pod + ".crt"));
    }
}
