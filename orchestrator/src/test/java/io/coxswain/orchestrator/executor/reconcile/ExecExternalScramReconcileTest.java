package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A NodePort cluster gaining its first SCRAM user, through the reconcile chain against fabric8's mock API
 * server: its external Service gains the SCRAM port, and the brokers advertise it once Kubernetes assigned it.
 */
@EnableKubernetesMockClient(crud = true)
class ExecExternalScramReconcileTest {

    KubernetesClient client;

    @Test
    void theExternalServiceGainsTheScramPortAndTheBrokerAdvertisesItOnceItsNodePortIsAssigned() {
        KubeObjects kube = new KubeObjects(client);
        RecordingSink sink = new RecordingSink();
        ClusterReconciler reconciler = new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
        ClusterState certificatesOnly = TestStates.created("payments", TestStates.create(1, 1)
                .setClientAuthentication(ClientAuthentication.TLS).setExternalAccess(ExternalAccess.NODE_PORT).build());
        reconciler.reconcile(new ReconcilePass(certificatesOnly, "create-1"));
        assignNodePorts(31234, null);
        reconciler.reconcile(new ReconcilePass(certificatesOnly, "create-1"));
        assertThat(brokerFile()).contains("EXTERNAL://@HOST_IP@:31234").doesNotContain("SCRAM");

        ClusterState scram = ClusterState.newBuilder(certificatesOnly).setVersion(certificatesOnly.getVersion() + 1)
                .setSpec(ClusterSpec.newBuilder(certificatesOnly.getSpec()).setScramListener(true).build()).build();
        reconciler.reconcile(new ReconcilePass(scram, "create-user-1"));
        assertThat(client.services().inNamespace("payments").withName("payments-broker-0-external").get().getSpec().getPorts())
                .extracting(ServicePort::getName).containsExactly("external", "external-scram");
        // the API server keeps the external port's node port through the patch (it matches ports by name); the mock does not
        assignNodePorts(31234, null);
        reconciler.reconcile(new ReconcilePass(scram, "create-user-1"));
        assertThat(brokerFile()).as("its node port not observed yet").contains("EXTERNAL://@HOST_IP@:31234", "SCRAM://:9095")
                .doesNotContain("EXTERNAL_SCRAM://");

        // and assigns the new port its own (the mock does not)
        assignNodePorts(31234, 31235);
        reconciler.reconcile(new ReconcilePass(scram, "create-user-1"));
        assertThat(brokerFile()).contains("EXTERNAL://@HOST_IP@:31234", "EXTERNAL_SCRAM://@HOST_IP@:31235", "EXTERNAL_SCRAM://:9096");
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getPorts()).extracting(ContainerPort::getName).contains("external-scram");
    }

    private void assignNodePorts(Integer external, Integer scram) {
        client.services().inNamespace("payments").withName("payments-broker-0-external").edit(s -> {
            s.getSpec().getPorts().get(0).setNodePort(external);
            if (scram != null) {
                s.getSpec().getPorts().get(1).setNodePort(scram);
            }
            return s;
        });
    }

    private String brokerFile() {
        return client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getData().get("server-0.properties");
    }
}
