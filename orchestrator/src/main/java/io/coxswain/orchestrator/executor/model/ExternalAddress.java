package io.coxswain.orchestrator.executor.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * How clients outside Kubernetes reach one broker, as read from its external Service once
 * Kubernetes has assigned it (a node port, a load balancer address). Known only after the Service
 * exists, so the broker configuration is built from what was observed.
 *
 * @param host a host name or IP, or {@link #NODE_HOST} for "the node the pod runs on"
 */
public record ExternalAddress(String host, int port) {

    /** Placeholder the start script replaces with the pod's host IP (NodePort access). */
    public static final String NODE_HOST = "@HOST_IP@";

    /**
     * Broker ordinal → the host name or IP address clients outside connect to, for the brokers that
     * have one of their own (a load balancer's); a node port's host is whichever node runs the pod,
     * known to no certificate.
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
