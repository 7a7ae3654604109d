package io.coxswain.sandbox.kube;

import static io.coxswain.sandbox.kube.Fixtures.awaitReadyPods;
import static io.coxswain.sandbox.kube.Fixtures.claims;
import static io.coxswain.sandbox.kube.Fixtures.kafkaSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kube.storage.StorageClasses;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Growing a StatefulSet's volumes as on a real cluster: each claim's request raised (the resizer grows it
 * when its class allows), and the set replaced through a deletion that orphans its pods, which the new
 * set adopts without restarting one.
 */
class VolumeExpansionTest extends OnSandbox {

    @Test
    void aClaimInAClassThatAllowsExpansionGrowsToItsRequestAndOneInAClassThatDoesNotStays() {
        assertThat(client.storage().v1().storageClasses().withName(StorageClasses.DEFAULT_CLASS).get().getAllowVolumeExpansion()).isTrue();
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fixed").endMetadata()
                .withProvisioner("sandbox.coxswain.io/provisioner").withAllowVolumeExpansion(false).build()).create();
        String ns = Fixtures.newNamespace(client, "grow");
        StatefulSet fixed = kafkaSet(ns, "pinned", 1, "OnDelete", "apache/kafka:4.0.0");
        fixed.getSpec().getVolumeClaimTemplates().get(0).getSpec().setStorageClassName("fixed");
        Fixtures.create(client, kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));
        Fixtures.create(client, fixed);
        Eventually.await("3 bound claims", () -> claims(client, ns), c -> c.size() == 3 && c.values().stream().allMatch(Fixtures::bound));

        for (String claim : List.of("data-kafka-0", "data-kafka-1", "data-pinned-0")) {
            request(ns, claim, "20Gi");
        }
        Eventually.until("the default class's claims at 20Gi", () -> capacity(ns, "data-kafka-0").equals("20Gi")
                && capacity(ns, "data-kafka-1").equals("20Gi"));
        PersistentVolumeClaim grown = claims(client, ns).get("data-kafka-0");
        assertThat(client.persistentVolumes().withName(grown.getSpec().getVolumeName()).get().getSpec().getCapacity().get("storage"))
                .isEqualTo(new Quantity("20Gi"));
        assertThat(capacity(ns, "data-pinned-0")).as("class 'fixed' does not allow expansion").isEqualTo("10Gi");
    }

    @Test
    void aSetDeletedWithOrphanPropagationLeavesItsPodsRunningForTheSetMadeAgainToAdopt() {
        String ns = Fixtures.newNamespace(client, "orphan");
        StatefulSet first = Fixtures.create(client, kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));
        Map<String, String> uids = uids(awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1")));

        client.apps().statefulSets().inNamespace(ns).withName("kafka").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        StatefulSet again = kafkaSet(ns, "kafka", 3, "OnDelete", "apache/kafka:4.0.0");
        again.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().setRequests(Map.of("storage", new Quantity("20Gi")));
        StatefulSet second = Fixtures.create(client, again);

        Map<String, Pod> pods = awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2"));
        Eventually.until("the orphans adopted", () -> Fixtures.pods(client, ns).values().stream().allMatch(p -> p.getMetadata()
                .getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getUid().equals(second.getMetadata().getUid()))));
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        assertThat(uids(pods)).as("the running pods were kept").containsAllEntriesOf(uids);
        Map<String, PersistentVolumeClaim> claims = claims(client, ns);
        assertThat(claims.get("data-kafka-2").getSpec().getResources().getRequests().get("storage")).as("a new ordinal's claim")
                .isEqualTo(new Quantity("20Gi"));
        assertThat(claims.get("data-kafka-0").getSpec().getResources().getRequests().get("storage")).as("claims are never changed by the set")
                .isEqualTo(new Quantity("10Gi"));

        client.apps().statefulSets().inNamespace(ns).withName("kafka").delete();
        Eventually.until("a background deletion takes the pods", () -> Fixtures.pods(client, ns).isEmpty());
    }

    private static void request(String ns, String claim, String size) {
        client.persistentVolumeClaims().inNamespace(ns).withName(claim).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/resources/requests/storage\",\"value\":\"" + size + "\"}]");
    }

    private static String capacity(String ns, String claim) {
        PersistentVolumeClaim c = client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
        return c.getStatus().getCapacity().get("storage").toString();
    }

    private static Map<String, String> uids(Map<String, Pod> pods) {
        return pods.values().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }
}
