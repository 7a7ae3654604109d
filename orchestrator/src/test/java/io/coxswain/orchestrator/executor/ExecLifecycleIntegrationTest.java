package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One executor, a real node and the sandbox Kubernetes: a cluster's life from CreateCluster to
 * Deleted, with the status in the folded state following what the sandbox shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecLifecycleIntegrationTest {

    private ExecutorWorld world;
    private KubernetesClient k8s;

    @BeforeAll
    void start() {
        world = new ExecutorWorld(3);
        world.executor("exec-a");
        k8s = world.client();
    }

    @AfterAll
    void stop() {
        world.close();
    }

    @Test
    void createScaleRepairPauseAndDeleteKeepingVolumes() {
        String id = "payments";
        assertThat(world.send(Commands.on(id).commandId("create-p").createCluster("4.1.0", 1, 3, "1Gi"))).isInstanceOf(Outcome.Accepted.class);

        ClusterState ready = world.awaitPhase(id, Phases.READY);
        assertThat(ready.getStatus().getBootstrapServers()).isEqualTo("payments-kafka-bootstrap.payments.svc:9092");
        assertThat(ready.getStatus().getComponents().get("brokers")).satisfies(b -> {
            assertThat(b.getDesired()).isEqualTo(3);
            assertThat(b.getReady()).isEqualTo(3);
            assertThat(b.getVersions()).containsExactly("4.1.0");
            assertThat(b.getImage()).isEqualTo("apache/kafka:4.1.0");
        });
        assertThat(k8s.pods().inNamespace(id).list().getItems()).hasSize(4);
        // the executor says when it has acted on what was asked: the create, at intent version 1
        assertThat(world.awaitState(id, "the create acted on", s -> s.getStatus().getReconciledIntentVersion() == 1).getIntentVersion()).isEqualTo(1);

        // scale out: new pods appear and the status follows
        world.send(Commands.on(id).commandId("scale-p").scaleBrokers(5));
        ClusterState scaled = world.awaitState(id, "5 ready brokers", s -> brokers(s) != null && brokers(s).getReady() == 5
                && Phases.READY.equals(s.getStatus().getPhase()));
        assertThat(scaled.getIntentVersion()).as("what the executor recorded since is no change of intent").isLessThan(scaled.getVersion());
        world.awaitState(id, "the scale-out acted on", s -> s.getStatus().getReconciledIntentVersion() == scaled.getIntentVersion());
        assertThat(k8s.pods().inNamespace(id).withLabel("app.kubernetes.io/component", "broker").list().getItems()).hasSize(5);
        assertThat(world.actions(id)).extracting(e -> e.getValue().getAction() + " " + e.getValue().getName() + " " + e.getValue().getCauseCommandId())
                .contains("UPDATE payments-broker scale-p");

        // drift: a deleted Service and a hand-edited StatefulSet are put back, and the repair is recorded
        k8s.services().inNamespace(id).withName("payments-kafka-bootstrap").delete();
        k8s.apps().statefulSets().inNamespace(id).withName("payments-broker").edit(s -> {
            s.getSpec().setReplicas(7);
            return s;
        });
        ExecutorWorld.await(Duration.ofSeconds(30), "the drift repaired", () ->
                k8s.services().inNamespace(id).withName("payments-kafka-bootstrap").get() != null
                        && k8s.apps().statefulSets().inNamespace(id).withName("payments-broker").get().getSpec().getReplicas() == 5);
        List<ResourceActionObserved> repairs = world.actions(id).stream().map(Map.Entry::getValue)
                .filter(a -> a.getAction() == ResourceAction.REPAIR).toList();
        assertThat(repairs).extracting(a -> a.getKind() + "/" + a.getName())
                .contains("Service/payments-kafka-bootstrap", "StatefulSet/payments-broker");
        assertThat(repairs).filteredOn(a -> a.getKind().equals("StatefulSet")).first()
                .satisfies(a -> assertThat(a.getDetail()).isEqualTo("spec.replicas: live 7, desired 5"));
        // what kubectl describe shows: each action also as an Event on its object, the repair as a Warning
        ExecutorWorld.await(Duration.ofSeconds(60), "the repair's Event", () -> k8s.v1().events().inNamespace(id).list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("Repair") && e.getInvolvedObject().getName().equals("payments-broker")));
        assertThat(k8s.v1().events().inNamespace(id).list().getItems())
                .filteredOn(e -> e.getInvolvedObject().getKind().equals("StatefulSet") && e.getInvolvedObject().getName().equals("payments-broker"))
                .extracting(e -> e.getType() + " " + e.getReason())
                .contains("Normal Create", "Normal Update", "Warning Repair")
                .hasSameSizeAs(world.actions(id).stream().filter(a -> a.getValue().getKind().equals("StatefulSet")
                        && a.getValue().getName().equals("payments-broker")).toList());

        // pause: no action, observations go on
        world.send(Commands.on(id).commandId("pause-p").pause("maintenance window"));
        world.awaitPhase(id, Phases.PAUSED);
        int actionsBefore = world.actions(id).size();
        k8s.services().inNamespace(id).withName("payments-kafka-bootstrap").delete();
        k8s.apps().statefulSets().inNamespace(id).withName("payments-controller").delete();
        world.awaitState(id, "the vanished controllers observed", s -> s.getStatus().getComponents().get("controllers").getDesired() == 0);
        assertThat(world.actions(id)).hasSize(actionsBefore);
        assertThat(k8s.services().inNamespace(id).withName("payments-kafka-bootstrap").get()).isNull();
        world.awaitState(id, "the pause acted on", s -> s.getStatus().getReconciledIntentVersion() == s.getIntentVersion());

        world.send(Commands.on(id).commandId("resume-p").resume());
        world.awaitState(id, "ready again", s -> Phases.READY.equals(s.getStatus().getPhase())
                && s.getStatus().getComponents().get("controllers").getReady() == 1);
        assertThat(k8s.services().inNamespace(id).withName("payments-kafka-bootstrap").get()).isNotNull();

        // delete, keeping the volumes: the 1 controller's and 5 brokers' claims, and those of ordinals 5 and 6 if the StatefulSet
        // controller made them for the hand edit to 7 replicas before the repair took the set back to 5 (a race between the two)
        List<String> pods = List.of("data-payments-controller-0", "data-payments-broker-0", "data-payments-broker-1", "data-payments-broker-2",
                "data-payments-broker-3", "data-payments-broker-4");
        List<String> claims = claimNames(id);
        assertThat(claims).containsAll(pods).isSubsetOf(java.util.stream.Stream.concat(pods.stream(),
                java.util.stream.Stream.of("data-payments-broker-5", "data-payments-broker-6")).toList());
        world.send(Commands.on(id).commandId("delete-p").deleteCluster(false));
        ClusterState deleted = world.awaitPhase(id, Phases.DELETED);
        assertThat(deleted.getStatus().getReconciledIntentVersion()).as("the deletion acted on").isEqualTo(deleted.getIntentVersion());
        assertThat(k8s.pods().inNamespace(id).list().getItems()).isEmpty();
        assertThat(k8s.apps().statefulSets().inNamespace(id).list().getItems()).isEmpty();
        assertThat(k8s.services().inNamespace(id).list().getItems()).isEmpty();
        assertThat(k8s.configMaps().inNamespace(id).withLabel("app.kubernetes.io/managed-by", "coxswain").list().getItems()).isEmpty();
        assertThat(claimNames(id)).as("every claim kept").containsExactlyInAnyOrderElementsOf(claims);
        assertThat(k8s.namespaces().withName(id).get()).isNotNull();
        assertNoDuplicateCreates(id);
    }

    @Test
    void deleteWithVolumesRemovesClaimsAndNamespace() {
        String id = "orders";
        world.send(Commands.on(id).commandId("create-o").createCluster("4.1.0", 1, 1, "1Gi"));
        world.awaitPhase(id, Phases.READY);
        assertThat(k8s.persistentVolumeClaims().inNamespace(id).list().getItems()).hasSize(2);

        world.send(Commands.on(id).commandId("delete-o").deleteCluster(true));
        world.awaitPhase(id, Phases.DELETED);
        ExecutorWorld.await(Duration.ofSeconds(30), "namespace gone", () -> k8s.namespaces().withName(id).get() == null);
        assertThat(k8s.persistentVolumeClaims().inNamespace(id).list().getItems()).isEmpty();
        assertThat(world.actions(id)).extracting(e -> e.getValue().getAction() + " " + e.getValue().getKind())
                .contains("DELETE PersistentVolumeClaim", "DELETE Namespace")
                .allSatisfy(a -> assertThat(a).doesNotStartWith("REPAIR"));
    }

    @Test
    void platformComponentsFollowTheirCommandsThroughTheLog() {
        String id = "platform";
        world.send(Commands.on(id).commandId("create-pl").createCluster("4.1.0", 1, 1, "1Gi"));
        world.awaitPhase(id, Phases.READY);

        assertThat(world.send(Commands.on(id).commandId("sr-pl").setComponent("schema-registry", 2, null, null,
                Map.of("schema.compatibility.level", "full")))).isInstanceOf(Outcome.Accepted.class);
        world.awaitState(id, "2 ready schema registries and the cluster Ready", s -> component(s, "schema-registry") != null
                && component(s, "schema-registry").getReady() == 2 && Phases.READY.equals(s.getStatus().getPhase()));
        assertThat(k8s.apps().statefulSets().inNamespace(id).withName("platform-schema-registry").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(k8s.configMaps().inNamespace(id).withName("platform-schema-registry-config").get().getData().values())
                .singleElement().asString().contains("schema.compatibility.level=full", "kafkastore.bootstrap.servers=");
        assertThat(world.actions(id)).extracting(e -> e.getValue().getAction() + " " + e.getValue().getName() + " " + e.getValue().getCauseCommandId())
                .contains("CREATE platform-schema-registry sr-pl");

        world.send(Commands.on(id).commandId("sr-pl-2").setComponent("schema-registry", 2, null, null, Map.of("schema.compatibility.level", "none")));
        ExecutorWorld.await(Duration.ofSeconds(30), "the new config in place", () -> k8s.configMaps().inNamespace(id)
                .withName("platform-schema-registry-config").get().getData().values().iterator().next().contains("schema.compatibility.level=none"));

        world.send(Commands.on(id).commandId("sr-pl-rm").removeComponent("schema-registry"));
        ExecutorWorld.await(Duration.ofSeconds(30), "the schema registry's objects gone", () ->
                k8s.apps().statefulSets().inNamespace(id).withName("platform-schema-registry").get() == null
                        && k8s.services().inNamespace(id).withName("platform-schema-registry").get() == null
                        && k8s.configMaps().inNamespace(id).withName("platform-schema-registry-config").get() == null);
        ClusterState after = world.awaitPhase(id, Phases.READY);
        assertThat(after.getStatus().getComponents()).doesNotContainKey("schema-registry");
        assertThat(k8s.apps().statefulSets().inNamespace(id).withName("platform-broker").get()).isNotNull();
        assertNoDuplicateCreates(id);
    }

    private List<String> claimNames(String namespace) {
        return k8s.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream().map(c -> c.getMetadata().getName()).toList();
    }

    private static ComponentStatus component(ClusterState s, String name) {
        return s.getStatus().getComponents().get(name);
    }

    private void assertNoDuplicateCreates(String id) {
        List<String> creates = world.actions(id).stream().map(Map.Entry::getValue).filter(a -> a.getAction() == ResourceAction.CREATE)
                .map(a -> a.getKind() + "/" + a.getName()).toList();
        assertThat(creates).doesNotHaveDuplicates();
    }

    private static ComponentStatus brokers(ClusterState s) {
        return s.getStatus().getComponents().get("brokers");
    }
}
