package io.coxswain.sandbox.kafkapods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What cluster DNS and a Service's endpoints do for a client in a pod, for the brokers of this
 * sandbox: {@code <service>.<namespace>.svc[...]:<port>} becomes the local addresses of the pods
 * the Service selects, on the port the {@link KafkaNodes} keep for the listener that Service port
 * leads to (its named target port, else its name: {@code clients} → the pods' {@code CLIENTS}
 * listener). Those ports stand for the pods whether their nodes run now or not.
 */
final class ServiceAddresses {

    private final KubernetesClient client;
    private final KafkaNodes nodes;

    ServiceAddresses(KubernetesClient client, KafkaNodes nodes) {
        this.client = client;
        this.nodes = nodes;
    }

    /** A comma-separated list of {@code host:port}; an address that names no Service of the sandbox stays as it is. */
    String resolve(String ownNamespace, String servers) {
        List<String> out = new ArrayList<>();
        for (String address : servers.split(",")) {
            String trimmed = address.trim();
            if (!trimmed.isEmpty()) {
                out.addAll(resolveOne(ownNamespace, trimmed));
            }
        }
        return String.join(",", out);
    }

    private List<String> resolveOne(String ownNamespace, String address) {
        int colon = address.lastIndexOf(':');
        String[] labels = address.substring(0, Math.max(0, colon)).split("\\.");
        if (colon < 0 || labels.length < 3 || !labels[2].equals("svc")) {
            return List.of(address);
        }
        String namespace = labels[1].isEmpty() ? ownNamespace : labels[1];
        int port = Integer.parseInt(address.substring(colon + 1));
        Service service = client.services().inNamespace(namespace).withName(labels[0]).get();
        if (service == null) {
            throw new IllegalStateException("Service " + namespace + "/" + labels[0] + " of " + address + " does not exist");
        }
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("Service " + namespace + "/" + labels[0] + " has no port " + port));
        String listener = servicePort.getTargetPort() != null && servicePort.getTargetPort().getStrVal() != null
                ? servicePort.getTargetPort().getStrVal() : servicePort.getName();
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace).withLabels(service.getSpec().getSelector()).list().getItems());
        if (pods.isEmpty()) {
            throw new IllegalStateException("Service " + namespace + "/" + labels[0] + " selects no pod yet");
        }
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return pods.stream().map(p -> "127.0.0.1:" + nodes.port(new PodKey(namespace, p.getMetadata().getName()), listener)).toList();
    }
}
