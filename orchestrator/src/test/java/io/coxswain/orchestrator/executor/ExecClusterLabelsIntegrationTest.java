package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ObjectLabels;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A cluster's labels on its Kubernetes objects, with a real node, an executor and the sandbox's
 * controllers: what {@code kubectl get pods,pvc,secrets,sts,svc -l team=payments} shows a platform team,
 * kept as the labels change, without restarting a pod and without touching a label someone else set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecClusterLabelsIntegrationTest {

    private static final String ID = "ledger";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ExecutorWorld world;
    private KubernetesClient k8s;

    @BeforeAll
    void start() {
        world = new ExecutorWorld(1);
        world.executor("exec-labels");
        k8s = world.client();
    }

    @AfterAll
    void stop() {
        world.close();
    }

    /** Every object of the cluster in its namespace, of the kinds a platform team selects by label. */
    private List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k8s.apps().statefulSets().inNamespace(ID).list().getItems());
        all.addAll(k8s.services().inNamespace(ID).list().getItems());
        all.addAll(k8s.configMaps().inNamespace(ID).list().getItems());
        all.addAll(k8s.policy().v1().podDisruptionBudget().inNamespace(ID).list().getItems());
        all.addAll(k8s.network().v1().networkPolicies().inNamespace(ID).list().getItems());
        all.addAll(k8s.secrets().inNamespace(ID).list().getItems());
        all.addAll(k8s.pods().inNamespace(ID).list().getItems());
        all.addAll(k8s.persistentVolumeClaims().inNamespace(ID).list().getItems());
        all.add(k8s.namespaces().withName(ID).get());
        return all;
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private void awaitEveryObject(String what, Predicate<Map<String, String>> labelsWanted) {
        ExecutorWorld.await(TIMEOUT, what, () -> objects().stream().allMatch(o -> labelsWanted.test(labels(o))));
    }

    @Test
    void theClustersLabelsAreOnEveryObjectAndFollowEachChangeWithoutARestart() {
        CreateCluster create = CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("1Gi").build()).setLabels(Map.of("team", "payments", "env", "prod")).build();
        assertThat(world.send(Commands.on(ID).commandId("create-l").createCluster(create))).isInstanceOf(Outcome.Accepted.class);
        world.awaitPhase(ID, Phases.READY);
        awaitEveryObject("every object labelled team=payments, env=prod",
                l -> "payments".equals(l.get("team")) && "prod".equals(l.get("env")));
        List<HasMetadata> before = objects();
        assertThat(before).extracting(o -> o.getKind()).contains("Namespace", "StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget",
                "NetworkPolicy", "Secret", "Pod", "PersistentVolumeClaim");
        assertThat(before).as("Coxswain's own labels stay: the pods are selected by them")
                .allSatisfy(o -> assertThat(labels(o)).containsEntry("app.kubernetes.io/instance", ID));
        Map<String, String> uids = new java.util.HashMap<>();
        k8s.pods().inNamespace(ID).list().getItems().forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
        assertThat(uids).hasSize(4);
        // someone else's label on a pod is theirs
        k8s.pods().inNamespace(ID).withName(ID + "-broker-0").edit(p -> {
            p.getMetadata().getLabels().put("example.com/scraped", "true");
            return p;
        });

        assertThat(world.send(Commands.on(ID).commandId("relabel-l")
                .setClusterLabels(Map.of("team", "ledger", "tier", "gold")))).isInstanceOf(Outcome.Accepted.class);
        awaitEveryObject("every object relabelled team=ledger, tier=gold, without env",
                l -> "ledger".equals(l.get("team")) && "gold".equals(l.get("tier")) && !l.containsKey("env"));
        assertThat(k8s.pods().inNamespace(ID).withName(ID + "-broker-0").get().getMetadata().getLabels())
                .containsEntry("example.com/scraped", "true");
        assertThat(k8s.apps().statefulSets().inNamespace(ID).withName(ID + "-broker").get().getSpec().getTemplate().getMetadata().getLabels())
                .as("pods made from now on carry them too").containsEntry("team", "ledger").doesNotContainKey("env");
        assertThat(k8s.apps().statefulSets().inNamespace(ID).withName(ID + "-broker").get().getSpec().getVolumeClaimTemplates().get(0)
                .getMetadata().getLabels()).as("a claim template never changes in place").doesNotContainKey("team");
        k8s.pods().inNamespace(ID).list().getItems().forEach(p ->
                assertThat(p.getMetadata().getUid()).as("pod %s not restarted", p.getMetadata().getName()).isEqualTo(uids.get(p.getMetadata().getName())));
        List<ResourceActionObserved> relabelled = world.actions(ID).stream().map(Map.Entry::getValue)
                .filter(a -> "relabel-l".equals(a.getCauseCommandId())).toList();
        assertThat(relabelled).extracting(a -> a.getKind() + "/" + a.getName()).as("each change recorded as the command's doing")
                .contains("Pod/" + ID + "-broker-0", "PersistentVolumeClaim/data-" + ID + "-broker-0", "StatefulSet/" + ID + "-broker",
                        "Secret/" + ID + "-kafka-tls", "Namespace/" + ID);
        assertThat(relabelled).filteredOn(a -> a.getKind().equals("Pod")).first()
                .satisfies(a -> assertThat(a.getDetail()).isEqualTo("team=ledger, tier=gold; removes env"));

        assertThat(world.send(Commands.on(ID).commandId("unlabel-l").setClusterLabels(Map.of()))).isInstanceOf(Outcome.Accepted.class);
        awaitEveryObject("no cluster label left on any object", l -> !l.containsKey("team") && !l.containsKey("tier"));
        assertThat(objects()).as("nor the note of which labels were the cluster's")
                .allSatisfy(o -> assertThat(o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations())
                        .doesNotContainKey(ObjectLabels.APPLIED_ANNOTATION));
        assertThat(k8s.pods().inNamespace(ID).withName(ID + "-broker-0").get().getMetadata().getLabels())
                .containsEntry("example.com/scraped", "true");
    }
}
