package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Services of a cluster: headless per role, the bootstrap Service, and per-broker external Services. */
public final class KafkaServices {

    /** Label the StatefulSet controller puts on each pod; selects one broker for its external Service. */
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

    private KafkaServices() {
    }

    /** Stable DNS names for the pods; published before they are ready so the quorum can form. */
    public static Service headless(ClusterNames names, KafkaRole role) {
        List<ServicePort> ports = new ArrayList<>();
        if (role == KafkaRole.CONTROLLER) {
            ports.add(port(Ports.CONTROLLER_NAME, Ports.CONTROLLER));
        } else {
            ports.add(port(Ports.REPLICATION_NAME, Ports.REPLICATION));
            ports.add(port(Ports.CLIENTS_NAME, Ports.CLIENTS));
        }
        ports.add(port(Ports.METRICS_NAME, Ports.METRICS));
        return new ServiceBuilder()
                .withNewMetadata().withName(names.headlessService(role)).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(names.selector(role)).withPorts(ports).endSpec()
                .build();
    }

    /** What in-cluster clients put in {@code bootstrap.servers}: any ready broker; SCRAM clients on its own port while there are any. */
    public static Service bootstrap(ClusterNames names, ClusterSpec spec) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(port(Ports.CLIENTS_NAME, Ports.CLIENTS));
        if (spec.getScramListener()) {
            ports.add(port(Ports.SCRAM_NAME, Ports.SCRAM));
        }
        return new ServiceBuilder()
                .withNewMetadata().withName(names.bootstrapService()).withNamespace(names.namespace())
                .withLabels(names.labels(ClusterNames.BOOTSTRAP_COMPONENT)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(names.selector(KafkaRole.BROKER))
                .withPorts(ports).endSpec()
                .build();
    }

    /**
     * @param type NodePort or LoadBalancer
     * @param scram whether SCRAM clients come in too ({@link KafkaScramProperties#outside}): a second port, so
     *     they reach the broker at the same host (with a node port of its own under NodePort)
     */
    public static Service external(ClusterNames names, int ordinal, String type, boolean scram) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(port(Ports.EXTERNAL_NAME, Ports.EXTERNAL));
        if (scram) {
            ports.add(port(Ports.EXTERNAL_SCRAM_NAME, Ports.EXTERNAL_SCRAM));
        }
        Map<String, String> selector = new LinkedHashMap<>(names.selector(KafkaRole.BROKER));
        selector.put(POD_NAME_LABEL, names.pod(KafkaRole.BROKER, ordinal));
        Map<String, String> labels = new LinkedHashMap<>(names.labels(ClusterNames.EXTERNAL_COMPONENT));
        labels.put(ClusterNames.NODE_ID_LABEL, String.valueOf(KafkaRole.BROKER.nodeId(ordinal)));
        return new ServiceBuilder()
                .withNewMetadata().withName(names.externalService(ordinal)).withNamespace(names.namespace())
                .withLabels(labels).endMetadata()
                .withNewSpec().withType(type).withSelector(selector)
                .withPorts(ports).endSpec()
                .build();
    }

    /** The Kubernetes Service type for the spec's {@code externalAccess}, or null for none. */
    public static String externalType(String externalAccess) {
        return switch (externalAccess) {
            case "NODE_PORT" -> "NodePort";
            case "LOAD_BALANCER" -> "LoadBalancer";
            default -> null;
        };
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(port)).withProtocol("TCP").build();
    }
}
