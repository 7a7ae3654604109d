package io.coxswain.sandbox.kube.kubelet;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** The sandbox's only node, which every pod is bound to. */
public final class SandboxNode {

    public static final String NAME = "sandbox-node";

    private SandboxNode() {
    }

    /** The node every sandbox pod runs on, registered as a kubelet registers its node. */
    static void register(KubernetesClient client) {
        if (client.nodes().withName(NAME).get() != null) {
            return;
        }
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"),
                "pods", new Quantity("1000"));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NAME)
                .addToLabels("kubernetes.io/hostname", NAME).addToLabels("kubernetes.io/os", "linux")
                .addToLabels("topology.kubernetes.io/zone", "sandbox").endMetadata().build()).create();
        client.nodes().withName(NAME).editStatus(n -> {
            n.setStatus(new NodeStatusBuilder()
                    .withCapacity(capacity).withAllocatable(capacity)
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withLastTransitionTime(PodStatuses.now()).endCondition()
                    .addNewAddress(PodStatuses.POD_IP, "InternalIP").addNewAddress(NAME, "Hostname")
                    .withNewNodeInfo().withKubeletVersion("v1.32.0-coxswain-sandbox").withOperatingSystem("linux")
                    .withArchitecture("amd64").withContainerRuntimeVersion("coxswain-sandbox://1")
                    .endNodeInfo().build());
            return n;
        });
    }
}
