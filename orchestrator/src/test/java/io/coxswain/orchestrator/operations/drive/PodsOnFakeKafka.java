package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.sandbox.kube.apiserver.SandboxApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * For unit tests of the drivers' decisions: a Kubernetes API server holding only what the test
 * puts there (StatefulSets and pods, no controllers, so a deleted pod stays deleted until the test
 * brings it back) and a {@link FakeAdmin} for the Kafka side. No Kafka runs.
 */
final class PodsOnFakeKafka implements AutoCloseable {

    static final String NEW = "new";
    static final String OLD = "old";
    private static final String IMAGE = "apache/kafka:4.3.1";

    final SandboxApiServer api = SandboxApiServer.start(0);
    final KubernetesClient kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api.url())
            .withNamespace("default").withHttp2Disable(true).build()).build();
    final ClusterNames names = new ClusterNames("pay", "default");
    final RecordingSink sink = new RecordingSink();
    final OperationRecorder recorder = new OperationRecorder(sink);
    final StepClock clock = new StepClock();
    final FakeAdmin admin;
    private final Map<KafkaRole, String> restarts = new EnumMap<>(KafkaRole.class);
    /** Per role, the memory an UpdateResources gave it: pods of {@link #NEW} created from now on have it. */
    private final Map<KafkaRole, String> memory = new EnumMap<>(KafkaRole.class);
    /** The memory of pods created before any UpdateResources: the installation's default. */
    static final String DEFAULT_MEMORY = "2Gi";

    PodsOnFakeKafka(FakeAdmin admin) {
        this.admin = admin;
    }

    /** A StatefulSet whose template asks for configuration revision {@link #NEW}. */
    PodsOnFakeKafka statefulSet(KafkaRole role, int replicas) {
        kube.apps().statefulSets().resource(new StatefulSetBuilder().withNewMetadata().withName(names.statefulSet(role)).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata()
                .withAnnotations(Map.of(ClusterNames.CONFIG_HASH_ANNOTATION, NEW)).endMetadata()
                .withNewSpec().addNewContainer().withName(KafkaPodTemplate.KAFKA_CONTAINER).withImage(IMAGE).endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        return this;
    }

    /** What a RestartCluster does to the template: pods of {@link #NEW} created from now on carry {@code restartId}. */
    PodsOnFakeKafka restartRequested(KafkaRole role, String restartId) {
        restarts.put(role, restartId);
        kube.apps().statefulSets().withName(names.statefulSet(role)).edit(sts -> {
            sts.getSpec().getTemplate().getMetadata().getAnnotations().put(ClusterNames.RESTART_ANNOTATION, restartId);
            return sts;
        });
        return this;
    }

    /** What an UpdateResources of the role's memory does to the template: its Kafka container and its sizing annotation. */
    PodsOnFakeKafka resized(KafkaRole role, String newMemory) {
        memory.put(role, newMemory);
        kube.apps().statefulSets().withName(names.statefulSet(role)).edit(sts -> {
            sts.getSpec().getTemplate().getMetadata().getAnnotations().put(ClusterNames.RESOURCES_ANNOTATION, "memory=" + newMemory);
            sts.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(limits(newMemory));
            return sts;
        });
        return this;
    }

    private static ResourceRequirements limits(String memory) {
        return new ResourceRequirementsBuilder().withLimits(Map.of("memory", new Quantity(memory))).build();
    }

    /** A Ready pod of configuration revision {@code revision}. */
    PodsOnFakeKafka pod(KafkaRole role, int ordinal, String revision) {
        return pod(role, ordinal, revision, true);
    }

    PodsOnFakeKafka pod(KafkaRole role, int ordinal, String revision, boolean ready) {
        Map<String, String> annotations = new HashMap<>(Map.of(ClusterNames.CONFIG_HASH_ANNOTATION, revision));
        if (NEW.equals(revision) && restarts.containsKey(role)) {
            annotations.put(ClusterNames.RESTART_ANNOTATION, restarts.get(role));
        }
        boolean resized = NEW.equals(revision) && memory.containsKey(role);
        if (resized) {
            annotations.put(ClusterNames.RESOURCES_ANNOTATION, "memory=" + memory.get(role));
        }
        Pod pod = kube.pods().resource(new PodBuilder().withNewMetadata().withName(names.pod(role, ordinal))
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName(KafkaPodTemplate.KAFKA_CONTAINER).withImage(IMAGE)
                .withResources(limits(resized ? memory.get(role) : DEFAULT_MEMORY)).endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().build());
        kube.pods().resource(pod).updateStatus();
        return this;
    }

    /** Exists and is not being deleted (the API server keeps a deleted pod, marked, until its kubelet lets it go). */
    boolean exists(KafkaRole role, int ordinal) {
        Pod pod = kube.pods().withName(names.pod(role, ordinal)).get();
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** What the StatefulSet controller and the kubelet do after a deletion: the pod is gone, then back on {@code revision}. */
    PodsOnFakeKafka recreate(KafkaRole role, int ordinal, String revision, boolean ready) {
        String name = names.pod(role, ordinal);
        kube.pods().withName(name).withGracePeriod(0).delete();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (kube.pods().withName(name).get() != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pod " + name + " still there after a forced delete");
            }
            Thread.onSpinWait(); // the API server answers the next get at once
        }
        return pod(role, ordinal, revision, ready);
    }

    DriveContext context(ClusterState state, RunningOperation op, Duration stepTimeout) {
        DriveSettings settings = DriveSettings.defaults().withStepTimeout(stepTimeout);
        return new DriveContext(state, names, op, kube, admin, recorder, clock, settings);
    }

    @Override
    public void close() {
        kube.close();
        api.close();
    }
}
