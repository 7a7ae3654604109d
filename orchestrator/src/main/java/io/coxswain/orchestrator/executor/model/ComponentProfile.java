package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.shape.PlatformComponent;

/**
 * How a platform component runs in its pods: the HTTP port clients use, the start script of its
 * Confluent image, the variable its heap goes in, the path its readiness probe asks, and the
 * property that names the pod to its peers and clients (appended at start: the pod's name is
 * known only then).
 *
 * @param hostKey      the property naming the pod, set to the pod's DNS name ({@code http://<name>:<port>} for ksqlDB)
 */
public record ComponentProfile(PlatformComponent component, int port, String startScript, String heapVariable,
                               String readinessPath, String hostKey) {

    public static final String PORT_NAME = "http";

    public static ComponentProfile of(PlatformComponent component) {
        return switch (component) {
            case SCHEMA_REGISTRY -> new ComponentProfile(component, 8081, "schema-registry-start", "SCHEMA_REGISTRY_HEAP_OPTS", "/", "host.name");
            case REST_PROXY -> new ComponentProfile(component, 8082, "kafka-rest-start", "KAFKAREST_HEAP_OPTS", "/", "host.name");
            case CONNECT -> new ComponentProfile(component, 8083, "connect-distributed", "KAFKA_HEAP_OPTS", "/", "rest.advertised.host.name");
            case KSQLDB -> new ComponentProfile(component, 8088, "ksql-server-start", "KSQL_HEAP_OPTS", "/healthcheck", "ksql.advertised.listener");
        };
    }

    public String name() {
        return component.componentName();
    }

    /** The value of {@link #hostKey} for a pod reachable as {@code host}. */
    public String hostValue(String host) {
        return component == PlatformComponent.KSQLDB ? "http://" + host + ":" + port : host;
    }

    /** Where in-cluster clients reach the component, e.g. a schema registry URL. */
    public String url(ClusterNames names) {
        return "http://" + names.componentHost(component) + ":" + port;
    }

    /** The component's listener: every interface of the pod, on its port. */
    public String listener() {
        return "http://0.0.0.0:" + port;
    }
}
