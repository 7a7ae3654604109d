package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ExternalAddress;
import io.coxswain.orchestrator.executor.model.KafkaServices;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the reconciler reads from a live external Service: the host, EXTERNAL's port and, once there, EXTERNAL_SCRAM's. */
class ExecExternalAddressesTest {

    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");

    @Test
    void aNodePortServiceGivesEachOfItsPortsNodePortOnceAssigned() {
        Service live = KafkaServices.external(names, 0, "NodePort", true);
        assertThat(ExternalAddresses.of(live)).as("nothing assigned yet").isEmpty();

        nodePorts(live, 31001, null);
        assertThat(ExternalAddresses.of(live)).contains(new ExternalAddress(ExternalAddress.NODE_HOST, 31001, ExternalAddress.NOT_OBSERVED));
        assertThat(ExternalAddresses.of(live).orElseThrow().scram()).as("its port not assigned: not advertised").isEmpty();

        nodePorts(live, 31001, 31002);
        assertThat(ExternalAddresses.of(live)).contains(new ExternalAddress(ExternalAddress.NODE_HOST, 31001, 31002));
        assertThat(ExternalAddresses.of(live).orElseThrow().scram()).contains("@HOST_IP@:31002");

        List<ServicePort> reversed = new ArrayList<>(live.getSpec().getPorts());
        Collections.reverse(reversed);
        live.getSpec().setPorts(reversed);
        assertThat(ExternalAddresses.of(live)).as("ports go by name, not position").contains(new ExternalAddress(ExternalAddress.NODE_HOST, 31001, 31002));
    }

    @Test
    void aLoadBalancerGivesItsHostAndEachServicePortAsItIs() {
        Service live = KafkaServices.external(names, 0, "LoadBalancer", true);
        assertThat(ExternalAddresses.of(live)).as("no address yet").isEmpty();
        live.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress().withHostname("kafka-0.example.com").endIngress()
                .endLoadBalancer().build());
        assertThat(ExternalAddresses.of(live)).contains(new ExternalAddress("kafka-0.example.com", 9094, 9096));

        Service certificatesOnly = KafkaServices.external(names, 0, "LoadBalancer", false);
        certificatesOnly.setStatus(live.getStatus());
        assertThat(ExternalAddresses.of(certificatesOnly)).as("a Service without the SCRAM port")
                .isEqualTo(Optional.of(new ExternalAddress("kafka-0.example.com", 9094)));
    }

    /** As the API server assigns them (fabric8's mock does not): the EXTERNAL port's, then the SCRAM port's, or null for not yet. */
    private static void nodePorts(Service live, Integer external, Integer scram) {
        live.getSpec().getPorts().get(0).setNodePort(external);
        live.getSpec().getPorts().get(1).setNodePort(scram);
    }
}
