package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A port given on the command line that another process holds stops the start before anything runs, saying what to do. */
class FixedPortsTest {

    @Test
    void aTakenPortIsRefusedNamingItAndTheOptionThatChoosesAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> FixedPorts.refuseTaken("127.0.0.1", port, "--http-port"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is already in use, perhaps by another Coxswain: stop what listens"
                            + " there, or choose another port with --http-port PORT (--http-port 0 picks a free one)");
        }
    }

    @Test
    void aFreePortAndPortZeroPass() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        int port = free;
        assertThatCode(() -> FixedPorts.refuseTaken("127.0.0.1", port, "--kube-port")).doesNotThrowAnyException();
        assertThatCode(() -> FixedPorts.refuseTaken("127.0.0.1", 0, "--kube-port")).doesNotThrowAnyException();
    }

    @Test
    void devRefusesATakenHttpPortBeforeStartingKafka(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int exit;
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new DevCommand()).execute("--http-port", String.valueOf(port), "--data-dir", dataDir.toString());
        } finally {
            System.setErr(before);
        }
        assertThat(exit).as("refused like any other bad start option").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Coxswain refuses to start: port " + port
                + " on 127.0.0.1 is already in use").contains("--http-port 0 picks a free one");
        assertThat(Files.exists(dataDir.resolve("kafka"))).as("no Kafka started, no data written").isFalse();
        assertThat(Files.exists(dataDir.resolve("dev-tokens"))).isFalse();
    }
}
