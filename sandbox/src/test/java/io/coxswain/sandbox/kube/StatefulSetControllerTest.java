package io.coxswain.sandbox.kube;

import static io.coxswain.sandbox.kube.Fixtures.awaitReadyPods;
import static io.coxswain.sandbox.kube.Fixtures.claims;
import static io.coxswain.sandbox.kube.Fixtures.image;
import static io.coxswain.sandbox.kube.Fixtures.kafkaSet;
import static io.coxswain.sandbox.kube.Fixtures.pods;
import static io.coxswain.sandbox.kube.Fixtures.revision;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller, kubelet and volume binder against the sandbox API server, through a real client. */
class StatefulSetControllerTest extends OnSandbox {


    @Test
    void createsOrdinalPodsRunningAndReadyWithBoundClaims() {
        String ns = Fixtures.newNamespace(client, "create");
        StatefulSet created = Fixtures.create(client, kafkaSet(ns, "kafka", 3, "OnDelete", "apache/kafka:4.0.0"));

        Map<String, Pod> pods = awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2"));
        Map<String, PersistentVolumeClaim> claims = Eventually.await("3 bound claims", () -> claims(client, ns),
                c -> c.size() == 3 && c.values().stream().allMatch(Fixtures::bound));
        StatefulSetStatus status = Eventually.await("status readyReplicas=3", () -> Fixtures.get(client, ns, "kafka").getStatus(),
                s -> s != null && Integer.valueOf(3).equals(s.getReadyReplicas()));

        assertThat(claims).containsOnlyKeys("data-kafka-0", "data-kafka-1", "data-kafka-2");
        assertThat(claims.get("data-kafka-1").getSpec().getVolumeName()).isNotBlank();
        assertThat(client.persistentVolumes().withName(claims.get("data-kafka-1").getSpec().getVolumeName()).get()
                .getStatus().getPhase()).isEqualTo("Bound");
        Pod pod = pods.get("kafka-1");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "kafka")
                .containsEntry("statefulset.kubernetes.io/pod-name", "kafka-1")
                .containsEntry("controller-revision-hash", status.getUpdateRevision());
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("coxswain.io/role", "broker");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("StatefulSet");
            assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-kafka-1");
        });
        assertThat(pod.getSpec().getHostname()).isEqualTo("kafka-1");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("kafka");
        assertThat(pod.getStatus().getPodIP()).isEqualTo("127.0.0.1");
        assertThat(pod.getStatus().getStartTime()).isNotBlank();
        assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("apache/kafka:4.0.0");
            assertThat(c.getReady()).isTrue();
            assertThat(c.getState().getRunning()).isNotNull();
        });
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision()).startsWith("kafka-");
    }

    @Test
    void scalesUpAndDownDeletingHighestOrdinalsFirstAndKeepingClaims() {
        String ns = Fixtures.newNamespace(client, "scale");
        Fixtures.create(client, kafkaSet(ns, "kafka", 2, "RollingUpdate", "apache/kafka:4.0.0"));
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));

        setReplicas(ns, 5);
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2", "kafka-3", "kafka-4"));

        List<String> deleted = new CopyOnWriteArrayList<>();
        try (Watch watch = client.pods().inNamespace(ns).watch(recordDeletions(deleted))) {
            setReplicas(ns, 2);
            awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));
            Eventually.until("3 deletions seen", () -> deleted.size() == 3);
        }
        assertThat(deleted).containsExactly("kafka-4", "kafka-3", "kafka-2");
        assertThat(claims(client, ns)).containsOnlyKeys(
                "data-kafka-0", "data-kafka-1", "data-kafka-2", "data-kafka-3", "data-kafka-4");
        Eventually.await("status replicas=2", () -> Fixtures.get(client, ns, "kafka").getStatus(),
                s -> s.getReplicas() == 2 && s.getReadyReplicas() == 2 && s.getObservedGeneration() == 3L);
    }

    @Test
    void recreatesADeletedPodWithTheSameClaim() {
        String ns = Fixtures.newNamespace(client, "recreate");
        Fixtures.create(client, kafkaSet(ns, "kafka", 3, "OnDelete", "apache/kafka:4.0.0"));
        Pod before = awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2")).get("kafka-1");
        PersistentVolumeClaim claim = Eventually.await("claim bound", () -> claims(client, ns).get("data-kafka-1"),
                c -> c != null && Fixtures.bound(c));

        client.pods().inNamespace(ns).withName("kafka-1").delete();

        Pod after = Eventually.await("kafka-1 re-created, running and ready", () -> pods(client, ns).get("kafka-1"),
                p -> p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && Fixtures.runningAndReady(p));
        assertThat(after.getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-kafka-1"));
        PersistentVolumeClaim claimAfter = claims(client, ns).get("data-kafka-1");
        assertThat(claimAfter.getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(claimAfter.getSpec().getVolumeName()).isEqualTo(claim.getSpec().getVolumeName());
        assertThat(claims(client, ns)).hasSize(3);
    }

    @Test
    void onDeleteLeavesRunningPodsAloneUntilTheyAreDeleted() {
        String ns = Fixtures.newNamespace(client, "ondelete");
        Fixtures.create(client, kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));
        Map<String, Pod> before = awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));
        String oldRevision = revision(before.get("kafka-0"));

        setImage(ns, "apache/kafka:4.1.0");
        StatefulSetStatus edited = Eventually.await("new generation observed", () -> Fixtures.get(client, ns, "kafka").getStatus(),
                s -> s.getObservedGeneration() == 2L);
        assertThat(edited.getUpdateRevision()).isNotEqualTo(oldRevision);
        assertThat(edited.getCurrentRevision()).isEqualTo(oldRevision);
        assertThat(edited.getUpdatedReplicas()).isZero();
        Map<String, Pod> untouched = pods(client, ns);
        assertThat(untouched.values()).allSatisfy(p -> {
            assertThat(image(p)).isEqualTo("apache/kafka:4.0.0");
            assertThat(revision(p)).isEqualTo(oldRevision);
            assertThat(p.getMetadata().getUid()).isEqualTo(before.get(p.getMetadata().getName()).getMetadata().getUid());
        });

        client.pods().inNamespace(ns).withName("kafka-1").delete();

        Pod renewed = Eventually.await("kafka-1 re-created with the new template", () -> pods(client, ns).get("kafka-1"),
                p -> p != null && Fixtures.runningAndReady(p) && image(p).equals("apache/kafka:4.1.0"));
        assertThat(revision(renewed)).isEqualTo(edited.getUpdateRevision());
        assertThat(image(pods(client, ns).get("kafka-0"))).isEqualTo("apache/kafka:4.0.0");
        StatefulSetStatus status = Eventually.await("one updated replica", () -> Fixtures.get(client, ns, "kafka").getStatus(),
                s -> s.getUpdatedReplicas() == 1 && s.getCurrentReplicas() == 1 && s.getReadyReplicas() == 2);
        // Kubernetes never promotes currentRevision under OnDelete (kubernetes/kubernetes#73492).
        assertThat(status.getCurrentRevision()).isEqualTo(oldRevision);
    }

    @Test
    void rollingUpdateReplacesPodsHighestOrdinalFirst() {
        String ns = Fixtures.newNamespace(client, "rolling");
        Fixtures.create(client, kafkaSet(ns, "kafka", 3, "RollingUpdate", "apache/kafka:4.0.0"));
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2"));

        List<String> deleted = new CopyOnWriteArrayList<>();
        try (Watch watch = client.pods().inNamespace(ns).watch(recordDeletions(deleted))) {
            setImage(ns, "apache/kafka:4.1.0");
            Eventually.await("all pods on the new image", () -> pods(client, ns),
                    p -> p.size() == 3 && p.values().stream().allMatch(
                            pod -> Fixtures.runningAndReady(pod) && image(pod).equals("apache/kafka:4.1.0")));
            Eventually.until("3 deletions seen", () -> deleted.size() == 3);
        }
        assertThat(deleted).containsExactly("kafka-2", "kafka-1", "kafka-0");
        StatefulSetStatus status = Eventually.await("rollout complete", () -> Fixtures.get(client, ns, "kafka").getStatus(),
                s -> s.getUpdatedReplicas() == 3 && s.getReadyReplicas() == 3
                        && s.getCurrentRevision().equals(s.getUpdateRevision()));
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
    }

    @Test
    void statusIsOnlyWrittenThroughTheStatusSubresource() {
        String ns = Fixtures.newNamespace(client, "status");
        StatefulSet withStatus = kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0");
        withStatus.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                .withReplicas(42).withReadyReplicas(42).build());
        StatefulSet created = Fixtures.create(client, withStatus);
        assertThat(created.getStatus()).as("a status sent with a create is ignored").isNull();
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));
        StatefulSet ready = Eventually.await("status readyReplicas=2", () -> Fixtures.get(client, ns, "kafka"),
                s -> s.getStatus() != null && s.getStatus().getReadyReplicas() == 2);

        StatefulSet edited = Fixtures.get(client, ns, "kafka");
        edited.getMetadata().getAnnotations().put("coxswain.io/touched", "yes");
        edited.getSpec().getTemplate().getMetadata().getLabels().put("tier", "gold");
        edited.setStatus(null);
        StatefulSet updated = client.apps().statefulSets().inNamespace(ns).resource(edited).update();

        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(updated.getStatus()).as("a plain update keeps the status").isNotNull();
        assertThat(updated.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(updated.getStatus().getCurrentRevision()).isEqualTo(ready.getStatus().getCurrentRevision());
        assertThat(Fixtures.get(client, ns, "kafka").getStatus().getReplicas()).isEqualTo(2);
    }

    @Test
    void deletingTheSetDeletesItsPodsButKeepsItsClaims() {
        String ns = Fixtures.newNamespace(client, "cascade");
        Fixtures.create(client, kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));

        client.apps().statefulSets().inNamespace(ns).withName("kafka").delete();

        Eventually.until("pods gone", () -> pods(client, ns).isEmpty());
        Eventually.until("revisions gone",
                () -> client.apps().controllerRevisions().inNamespace(ns).list().getItems().isEmpty());
        assertThat(claims(client, ns)).containsOnlyKeys("data-kafka-0", "data-kafka-1");
    }

    @Test
    void parallelPolicyStartsEveryPodWithoutWaiting() {
        String ns = Fixtures.newNamespace(client, "parallel");
        StatefulSet sts = kafkaSet(ns, "kafka", 3, "OnDelete", "apache/kafka:4.0.0");
        sts.getSpec().setPodManagementPolicy("Parallel");
        kube.setNeverReady(name -> name.equals("kafka-0"));
        try {
            Fixtures.create(client, sts);
            Eventually.await("kafka-1 and kafka-2 ready although kafka-0 is not", () -> pods(client, ns),
                    p -> p.size() == 3 && Fixtures.runningAndReady(p.get("kafka-1")) && Fixtures.runningAndReady(p.get("kafka-2")));
            assertThat(Fixtures.runningAndReady(pods(client, ns).get("kafka-0"))).isFalse();
        } finally {
            kube.setNeverReady(name -> false);
        }
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2"));
    }

    private void setReplicas(String ns, int replicas) {
        editSet(ns, s -> s.getSpec().setReplicas(replicas));
    }

    private void setImage(String ns, String image) {
        editSet(ns, s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image));
    }

    /** edit() locks on the resourceVersion, so it conflicts with the controller's status writes; retry as clients do. */
    private void editSet(String ns, java.util.function.Consumer<StatefulSet> change) {
        Eventually.await("edit of " + ns + "/kafka applied", () -> {
            try {
                client.apps().statefulSets().inNamespace(ns).withName("kafka").edit(s -> {
                    change.accept(s);
                    return s;
                });
                return true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                return false;
            }
        }, Boolean::booleanValue);
    }

    private static Watcher<Pod> recordDeletions(List<String> deleted) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    deleted.add(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
