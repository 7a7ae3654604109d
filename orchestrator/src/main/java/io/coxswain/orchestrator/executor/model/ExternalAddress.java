package io.coxswain.orchestrator.executor.model;

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

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
