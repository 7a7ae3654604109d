package io.coxswain.node;

import io.coxswain.gateway.PortTaken;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Refuses a start whose fixed port another process already listens on. Checked before anything starts: otherwise the
 * port is found taken only when its part binds it, after Kafka, the node and the executor have started (a minute on a
 * busy machine), and the failure names no way out.
 */
final class FixedPorts {

    private FixedPorts() {
    }

    /**
     * @param port 0 (any free port) is never refused
     * @param option the option that chose the port, named in the refusal
     * @throws IllegalArgumentException saying which port is taken and what to do
     */
    static void refuseTaken(String host, int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            if (!String.valueOf(e.getMessage()).contains("in use")) {
                return; // an address this machine does not have, say: the part's own start reports it
            }
            throw new IllegalArgumentException(PortTaken.message(host, port, option));
        } catch (IOException e) {
            // not a taken port: the part's own start reports it
        }
    }
}
