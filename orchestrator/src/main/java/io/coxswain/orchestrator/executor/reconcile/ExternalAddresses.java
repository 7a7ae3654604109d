package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ExternalAddress;
import io.coxswain.orchestrator.executor.model.Ports;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Optional;

/** Reads, from a live external Service, the address Kubernetes gave it. */
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
            return host == null ? Optional.empty() : Optional.of(new ExternalAddress(host, Ports.EXTERNAL));
        }
        return live.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(p -> p != null && p > 0).findFirst()
                .map(p -> new ExternalAddress(ExternalAddress.NODE_HOST, p));
    }
}
