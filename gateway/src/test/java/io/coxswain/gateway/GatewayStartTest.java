package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose port something else bound after the launcher's check found it free (a race the check cannot close) fails
 * to start saying which port on which address, and what to do, in the launcher's words; and leaves nothing running.
 */
class GatewayStartTest extends GatewayPerClass {

    @Test
    void aPortTakenBeforeTheBindIsNamedWithTheWayOutAndNothingIsLeftRunning() throws Exception {
        long readersBefore = readers();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> h.another(c -> c.withAddress("127.0.0.1", port)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("gateway failed to start: port " + port + " on 127.0.0.1 is already in use, perhaps by another Coxswain:"
                            + " stop what listens there, or choose another port with --http-port PORT (--http-port 0 picks a free one)");
        }
        assertThat(Poll.until(Duration.ofSeconds(10), "the failed gateway's read model thread to end",
                () -> readers() == readersBefore ? true : null)).isTrue();
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("coxswain-gateway-readmodel")).count();
    }
}
