package io.coxswain.orchestrator.executor.model;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How clients outside Kubernetes reach one broker, as read from its external Service once
 * Kubernetes has assigned it (a node port, a load balancer address). Known only after the Service
 * exists, so the broker configuration is built from what was observed.
 *
 * @param host      a host name or IP, or {@link #NODE_HOST} for "the node the pod runs on"
 * @param port      where certificate clients connect (the EXTERNAL listener)
 * @param scramPort where SCRAM-SHA-512 clients connect at the same host (the EXTERNAL_SCRAM listener), or
 *                  {@link #NOT_OBSERVED} while the Service has no such port or Kubernetes has not assigned it yet
 */
public record ExternalAddress(String host, int port, int scramPort) {

    /** Placeholder the start script replaces with the pod's host IP (NodePort access). */
    public static final String NODE_HOST = "@HOST_IP@";
    public static final int NOT_OBSERVED = 0;

    /** An address without a SCRAM port: a cluster without SCRAM users, or one whose port is not observed yet. */
    public ExternalAddress(String host, int port) {
        this(host, port, NOT_OBSERVED);
    }

    /** {@code host:scramPort} once the SCRAM port is observed: until then the broker advertises no external SCRAM listener. */
    public Optional<String> scram() {
        return scramPort == NOT_OBSERVED ? Optional.empty() : Optional.of(host + ":" + scramPort);
    }

    /**
     * Broker ordinal → the host name or IP address clients outside connect to, for the brokers that
     * have one of their own (a load balancer's); a node port's host is whichever node runs the pod,
     * known to no certificate. Both external listeners share the host, so the one name covers both.
     */
    public static Map<Integer, String> namedHosts(Map<Integer, ExternalAddress> addresses) {
        Map<Integer, String> hosts = new TreeMap<>();
        addresses.forEach((ordinal, address) -> {
            if (!NODE_HOST.equals(address.host())) {
                hosts.put(ordinal, address.host());
            }
        });
        return hosts;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
