package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.commands.cli.Cox;
import io.coxswain.gateway.tls.GatewayTls;
import io.coxswain.sandbox.tls.DevCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PublicKey;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway over HTTPS: trusted with its CA, refused without, and a renewed certificate served without a restart. */
class GatewayTlsTest {

    private static Path dir;
    private static DevCertificates served;
    private static GatewayHarness h;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("coxswain-tls-test");
        served = DevCertificates.ensure(dir.resolve("served"));
        GatewayTls tls = GatewayTls.of(served.certificate(), served.key(), Duration.ofMillis(100));
        h = GatewayHarness.start("tls-" + UUID.randomUUID().toString().substring(0, 8) + ".", c -> c.withTls(tls));
        // the first handshake initialises TLS on both sides (the gateway's server, this JVM's client): seconds on a loaded
        // machine, past the 5 s these clients give a connection (cox gives the handshake 60 s); done once here, so that each test times trust only
        Poll.until(Duration.ofSeconds(60), "the gateway's first HTTPS answer", () -> unchecked(() -> whoami(trusting(served.ca())).statusCode() == 200));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static HttpClient trusting(Path... cas) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (Path ca : cas) {
            store.setCertificateEntry(ca.toString(), DevCertificates.read(ca));
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, f.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> whoami(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(h.url() + "/v1/whoami")).header("Authorization", "Bearer " + GatewayHarness.TOKEN)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call whose checked exceptions a poll takes as one more failed try. */
    private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theGatewayAnswersHttpsToAClientThatTrustsItsCaAndNothingInPlainHttp() throws Exception {
        assertThat(h.url()).startsWith("https://");
        HttpResponse<String> r = whoami(trusting(served.ca()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"principal\":\"alice\"");

        String plain = h.url().replace("https://", "http://");
        HttpClient client = HttpClient.newHttpClient();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(plain + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void coxTrustsTheGatewayOnlyWithItsCa() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int trusted = Cox.run(new PrintWriter(out), new PrintWriter(err), "--gateway", h.url(), "--token", GatewayHarness.TOKEN,
                "--cacert", served.ca().toString(), "whoami");
        assertThat(trusted).as(err.toString()).isZero();
        assertThat(out.toString()).contains("principal: alice");

        StringWriter refusedErr = new StringWriter();
        int refused = Cox.run(new PrintWriter(new StringWriter()), new PrintWriter(refusedErr), "--gateway", h.url(), "--token", GatewayHarness.TOKEN, "whoami");
        assertThat(refused).isEqualTo(3);
        assertThat(refusedErr.toString()).contains("does not trust", "--cacert");
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        DevCertificates renewed = DevCertificates.ensure(dir.resolve("renewed"));
        PublicKey before = served.serverKey();
        assertThat(renewed.serverKey()).isNotEqualTo(before);
        HttpClient both = trusting(served.ca(), renewed.ca());
        assertThat(whoami(both).sslSession().orElseThrow().getPeerCertificates()[0].getPublicKey()).isEqualTo(before);

        Files.copy(renewed.certificate(), served.certificate(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
        // a new client each time: a pooled connection keeps the certificate it was opened with
        Poll.until(Duration.ofSeconds(60), "the renewed certificate served", () -> renewed.serverKey().equals(unchecked(() ->
                whoami(trusting(served.ca(), renewed.ca())).sslSession().orElseThrow().getPeerCertificates()[0].getPublicKey())));
        // the gauge follows once the update's completion reaches the reloader's context, a moment after new connections get it
        String expiry = "coxswain_gateway_tls_certificate_expiry_timestamp_seconds "
                + DevCertificates.read(renewed.certificate()).getNotAfter().toInstant().getEpochSecond() + "\n";
        Poll.until(Duration.ofSeconds(30), "the metrics to give the renewed certificate's expiry", () -> unchecked(() -> trusting(renewed.ca())
                .send(HttpRequest.newBuilder(URI.create(h.url() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .body().contains(expiry));
    }

    @Test
    void wrongTlsFilesStopTheGatewayWithTheFileAndTheProblem() throws IOException {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> GatewayTls.of(missing, served.key(), GatewayTls.DEFAULT_RELOAD))
                .hasMessageContaining("--tls-cert " + missing).hasMessageContaining("cannot be read");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> GatewayTls.of(notPem, served.key(), GatewayTls.DEFAULT_RELOAD))
                .hasMessageContaining("is not a PEM certificate");
        assertThatThrownBy(() -> GatewayTls.of(served.certificate(), served.ca(), GatewayTls.DEFAULT_RELOAD))
                .hasMessageContaining("--tls-key " + served.ca()).hasMessageContaining("no PEM private key");
    }
}
