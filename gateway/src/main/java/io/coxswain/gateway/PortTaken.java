package io.coxswain.gateway;

/**
 * The words for a port another process listens on, with the way out: said by the launcher's check before anything starts
 * and by the gateway when the port is taken between that check and its bind.
 */
public final class PortTaken {

    private PortTaken() {
    }

    /** @param option the command-line option that chooses the port, such as {@code --http-port} */
    public static String message(String host, int port, String option) {
        return "port " + port + " on " + host + " is already in use, perhaps by another Coxswain: stop what listens there, or choose"
                + " another port with " + option + " PORT (" + option + " 0 picks a free one)";
    }
}
