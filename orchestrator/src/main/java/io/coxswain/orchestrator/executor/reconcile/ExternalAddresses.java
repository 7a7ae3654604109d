package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ExternalAddress;
import io.coxswain.orchestrator.executor.model.Ports;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads, from a live external Service, the address Kubernetes gave it: the host, and per port (EXTERNAL,
 * and EXTERNAL_SCRAM while the Service has it) where clients connect. Ports go by name, as the Service names them.
 */
final class ExternalAddresses {

    private ExternalAddresses() {
    }

    static Optional<ExternalAddress> of(Service live) {
        if (live == null || live.getSpec() == null) {
            return Optional.empty();
        }
        if ("LoadBalancer".equals(live.getSpec().getType())) {
            if (live.getStatus() == null || live.getStatus().getLoadBalancer() == null
                    || live.getStatus().getLoadBalancer().getIngress() == null || live.getStatus().getLoadBalancer().getIngress().isEmpty()) {
                return Optional.empty();
            }
            LoadBalancerIngress ingress = live.getStatus().getLoadBalancer().getIngress().get(0);
            String host = ingress.getHostname() != null ? ingress.getHostname() : ingress.getIp();
            // a load balancer forwards each Service port as it is
            return host == null ? Optional.empty()
                    : Optional.of(new ExternalAddress(host, Ports.EXTERNAL, scramPort(live, ServicePort::getPort)));
        }
        return assigned(live, Ports.EXTERNAL_NAME, ServicePort::getNodePort)
                .map(p -> new ExternalAddress(ExternalAddress.NODE_HOST, p, scramPort(live, ServicePort::getNodePort)));
    }

    private static int scramPort(Service live, Function<ServicePort, Integer> reached) {
        return assigned(live, Ports.EXTERNAL_SCRAM_NAME, reached).orElse(ExternalAddress.NOT_OBSERVED);
    }

    /** The port clients reach the Service port {@code name} at, once Kubernetes assigned one. */
    private static Optional<Integer> assigned(Service live, String name, Function<ServicePort, Integer> reached) {
        return live.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).map(reached)
                .filter(p -> p != null && p > 0).findFirst();
    }
}
