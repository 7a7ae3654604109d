package io.coxswain.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.coxswain.orchestrator.executor.tls.Pem;
import io.coxswain.sandbox.tls.DevCertificates;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An identity provider inside the cluster serves its JWKS with a private CA's certificate: trusted with --jwt-keys-cacert only. */
class JwksSourceTest {

    private static Path dir;
    private static DevCertificates idpCertificates;
    private static HttpsServer idp;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("coxswain-jwks-test");
        idpCertificates = DevCertificates.ensure(dir.resolve("idp"));
        idp = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.setHttpsConfigurator(new HttpsConfigurator(serverContext(idpCertificates)));
        idp.createContext("/jwks", exchange -> {
            byte[] body = TestJwts.jwks(TestJwts.ec("in-cluster")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        url = "https://127.0.0.1:" + idp.getAddress().getPort() + "/jwks";
    }

    @AfterAll
    static void stop() {
        idp.stop(0);
    }

    @Test
    void theKeysOfAProviderWithAPrivateCaAreFetchedWhenItsCaIsGiven() {
        try (JwksSource source = JwksSource.of(url, idpCertificates.ca(), Duration.ofSeconds(30))) {
            assertThat(source.current()).hasValueSatisfying(keys -> assertThat(keys.size()).isEqualTo(1));
            assertThat(source.problem()).isNull();
        }
    }

    @Test
    void withoutItsCaTheFetchFailsAndTheProblemNamesTheOptionThatFixesIt() {
        try (JwksSource source = JwksSource.of(url, null, Duration.ofSeconds(30))) {
            assertThat(source.current()).isEmpty();
            assertThat(source.problem()).contains("could not be fetched from " + url, "--jwt-keys-cacert FILE");
        }
    }

    @Test
    void aCaFileIsRefusedBesideKeysThatAreNotAnHttpsUrlAndAnUnreadableOneIsNamed() throws Exception {
        Path jwks = Files.writeString(dir.resolve("jwks.json"), TestJwts.jwks(TestJwts.rsa("k1")));
        assertThatThrownBy(() -> JwksSource.of(jwks.toString(), idpCertificates.ca(), Duration.ofSeconds(30)))
                .hasMessageContaining("--jwt-keys-cacert is for an https:// --jwt-keys URL");
        assertThatThrownBy(() -> JwksSource.of("http://127.0.0.1:1/jwks", idpCertificates.ca(), Duration.ofSeconds(30)))
                .hasMessageContaining("plain http");
        Path notPem = Files.writeString(dir.resolve("not-a-ca.pem"), "hello");
        assertThatThrownBy(() -> JwksSource.of(url, notPem, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--jwt-keys-cacert " + notPem);
    }

    private static SSLContext serverContext(DevCertificates files) throws Exception {
        PrivateKey key = Pem.privateKey(Files.readString(files.key()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("idp", key, new char[0], new Certificate[] {DevCertificates.read(files.certificate())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
