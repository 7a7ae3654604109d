package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The watches' caches answer the lists a pass begins with: the same objects the API server would
 * list for the cluster's labels, in its namespace, and nothing for what they do not watch.
 */
@EnableKubernetesMockClient(crud = true)
class KubeWatchTest {

    KubernetesClient client;

    private final Set<String> touched = ConcurrentHashMap.newKeySet();

    private static ConfigMap configMap(ClusterNames names, String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(names.namespace()).withLabels(labels)
                .endMetadata().addToData("k", "v").build();
    }

    private static Pod pod(ClusterNames names, KafkaRole role, int ordinal) {
        // as the StatefulSet's template labels it
        return new PodBuilder().withNewMetadata().withName(names.statefulSet(role) + "-" + ordinal).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata().build();
    }

    private static List<String> namesOf(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 20 s: " + what).isLessThan(deadline);
            try {
                Thread.sleep(20); // polling interval, not synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aPassListsFromTheWatchWhatTheApiServerWouldList() {
        ClusterNames payments = ClusterNames.of("payments", "{cluster}");
        ClusterNames orders = ClusterNames.of("orders", "{cluster}");
        client.resource(configMap(payments, "payments-broker-config", payments.labels(KafkaRole.BROKER.component()))).create();
        try (KubeWatch watch = new KubeWatch(client, ModelSettings.defaults(), touched::add)) {
            KubeObjects kube = new KubeObjects(client, watch);
            watch.start();
            // what existed before the watch started is listed at once
            assertThat(namesOf(watch.list(ConfigMap.class, payments.namespace(), payments.clusterSelector())))
                    .containsExactly("payments-broker-config");

            client.resource(configMap(payments, "payments-controller-config", payments.labels(KafkaRole.CONTROLLER.component()))).create();
            client.resource(configMap(orders, "orders-broker-config", orders.labels(KafkaRole.BROKER.component()))).create();
            // in the cluster's namespace but not Coxswain's: not watched, so never listed
            client.resource(configMap(payments, "someone-elses", Map.of(ClusterNames.INSTANCE_LABEL, "payments"))).create();
            client.resource(pod(payments, KafkaRole.BROKER, 0)).create();
            client.resource(pod(payments, KafkaRole.CONTROLLER, 0)).create();

            // one informer per kind: the pods' may have delivered the broker pod before the ConfigMaps' delivered orders-broker-config
            await(() -> watch.list(ConfigMap.class, payments.namespace(), payments.clusterSelector()).size() == 2
                    && watch.list(ConfigMap.class, orders.namespace(), orders.clusterSelector()).size() == 1
                    && watch.list(Pod.class, payments.namespace(), payments.selector(KafkaRole.BROKER)).size() == 1, "the watch sees the new objects");
            assertThat(namesOf(kube.listWatched(ConfigMap.class, payments.namespace(), payments.clusterSelector())))
                    .isEqualTo(namesOf(kube.list(ConfigMap.class, payments.namespace(), payments.clusterSelector())).stream()
                            .filter(n -> !n.equals("someone-elses")).toList())
                    .containsExactly("payments-broker-config", "payments-controller-config");
            assertThat(namesOf(watch.list(ConfigMap.class, orders.namespace(), orders.clusterSelector()))).containsExactly("orders-broker-config");
            // a role's selector keeps only that role's pods
            assertThat(namesOf(kube.watchedPods(payments.namespace(), payments.selector(KafkaRole.BROKER))))
                    .containsExactly(payments.statefulSet(KafkaRole.BROKER) + "-0");
            // a change to any watched kind names its cluster, so a pass follows
            await(() -> touched.containsAll(Set.of("payments", "orders")), "the changes name their clusters");

            client.resource(configMap(payments, "payments-controller-config", payments.labels(KafkaRole.CONTROLLER.component()))).delete();
            await(() -> watch.list(ConfigMap.class, payments.namespace(), payments.clusterSelector()).size() == 1, "the deletion reaches the cache");
        }
    }

    @Test
    void whatTheWatchCannotAnswerGoesToTheApiServer() {
        ClusterNames payments = ClusterNames.of("payments", "{cluster}");
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-payments-broker-0")
                .withNamespace(payments.namespace()).withLabels(payments.clusterSelector()).endMetadata().build();
        client.resource(claim).create();
        try (KubeWatch watch = new KubeWatch(client, ModelSettings.defaults(), touched::add)) {
            KubeObjects kube = new KubeObjects(client, watch);
            // not started: nothing listed yet, so nothing answered from it
            assertThat(watch.list(ConfigMap.class, payments.namespace(), payments.clusterSelector())).isNull();
            watch.start();
            // claims are not watched
            assertThat(watch.list(PersistentVolumeClaim.class, payments.namespace(), payments.clusterSelector())).isNull();
            assertThat(namesOf(kube.listWatched(PersistentVolumeClaim.class, payments.namespace(), payments.clusterSelector())))
                    .containsExactly("data-payments-broker-0");
            // a selector without the cluster is not one a pass makes
            assertThat(watch.list(ConfigMap.class, payments.namespace(), Map.of(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY_VALUE))).isNull();
        }
    }
}
