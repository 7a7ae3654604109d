package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connect timeout of cox covers the connection, not the TLS handshake after it: a gateway that accepts at once and
 * takes longer than the timeout to answer the handshake (a new JVM's first one, a busy gateway) is not reported unreachable.
 */
class GatewayClientTimeoutTest {

    private static final Duration CONNECT = Duration.ofSeconds(1);

    @Test
    void aHandshakeSlowerThanTheConnectTimeoutIsWaitedFor() throws Exception {
        Duration handshake = CONNECT.multipliedBy(3);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread held = new Thread(() -> answerNothingFor(s, handshake));
                        held.setDaemon(true);
                        held.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            GatewayClient client = new GatewayClient("https://127.0.0.1:" + server.getLocalPort(), null, null, CONNECT);
            long started = System.nanoTime();

            assertThatThrownBy(() -> client.get("/v1/whoami")).isInstanceOfSatisfying(CliException.class, e -> {
                assertThat(e.getMessage()).as("cut short by the gateway, not timed out").contains("TLS with the gateway at https://127.0.0.1:")
                        .doesNotContain("cannot reach", "timed out", "does not trust");
                assertThat(e.exitCode).isEqualTo(CliException.UNAVAILABLE);
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the handshake").isGreaterThanOrEqualTo(handshake);
        }
    }

    @Test
    void aPortThatRefusesIsReportedUnreachable() throws Exception {
        try (Socket refusing = new Socket()) {
            refusing.bind(new InetSocketAddress("127.0.0.1", 0)); // bound and never listening: connections to it are refused
            GatewayClient client = new GatewayClient("https://127.0.0.1:" + refusing.getLocalPort(), null, null, CONNECT);
            assertThatThrownBy(() -> client.get("/v1/whoami")).isInstanceOfSatisfying(CliException.class, e -> {
                assertThat(e.getMessage()).contains("cannot reach the gateway at https://127.0.0.1:" + refusing.getLocalPort() + " (connection refused)",
                        "--gateway");
                assertThat(e.exitCode).isEqualTo(CliException.UNAVAILABLE);
            });
        }
    }

    /** A gateway slow to answer: accepted at once, its handshake unanswered for {@code slow}, then the connection closed. */
    private static void answerNothingFor(Socket s, Duration slow) {
        try (s) {
            Thread.sleep(slow.toMillis()); // the slow gateway under test, not a synchronisation
        } catch (IOException | InterruptedException e) {
            // the connection ends either way
        }
    }
}
