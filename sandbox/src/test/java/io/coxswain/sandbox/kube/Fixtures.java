package io.coxswain.sandbox.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Objects and queries shared by the sandbox Kubernetes tests. */
final class Fixtures {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private Fixtures() {
    }

    /** A fresh namespace, so tests sharing one sandbox do not see each other's objects. */
    static String newNamespace(KubernetesClient client, String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /** A broker-like StatefulSet {@code name} with one claim template "data" of 10Gi. */
    static StatefulSet kafkaSet(String namespace, String name, int replicas, String updateStrategy, String image) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewUpdateStrategy().withType(updateStrategy).endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).addToAnnotations("coxswain.io/role", "broker").endMetadata()
                .withNewSpec().addNewContainer().withName("kafka").withImage(image).endContainer().endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build();
    }

    static StatefulSet create(KubernetesClient client, StatefulSet sts) {
        return client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).resource(sts).create();
    }

    static StatefulSet get(KubernetesClient client, String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    }

    /** The namespace's pods by name, sorted. */
    static Map<String, Pod> pods(KubernetesClient client, String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p, (a, b) -> a, TreeMap::new));
    }

    static Map<String, PersistentVolumeClaim> claims(KubernetesClient client, String namespace) {
        return client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c, (a, b) -> a, TreeMap::new));
    }

    static boolean runningAndReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("ContainersReady") && c.getStatus().equals("True"));
    }

    static boolean bound(PersistentVolumeClaim claim) {
        return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
    }

    /** Waits until exactly {@code names} are the namespace's pods, all Running and Ready. */
    static Map<String, Pod> awaitReadyPods(KubernetesClient client, String namespace, List<String> names) {
        return Eventually.await("pods " + names + " running and ready in " + namespace, () -> pods(client, namespace),
                pods -> pods.keySet().equals(new java.util.TreeSet<>(names))
                        && pods.values().stream().allMatch(Fixtures::runningAndReady));
    }

    static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    static String revision(Pod pod) {
        return pod.getMetadata().getLabels().get("controller-revision-hash");
    }
}
