package io.coxswain.sandbox.kube.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The pod status a kubelet reports, built from what the sandbox kubelet knows of a pod. */
final class PodStatuses {

    static final String POD_IP = "127.0.0.1";

    /** What the kubelet knows: whether the containers are up, ready, or failed and how often. */
    record Observed(Instant startTime, boolean ready, int restarts, String failure) {
    }

    private PodStatuses() {
    }

    /** Whether {@code pod}'s status says Running and Ready. */
    static boolean reportedReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A Running pod's status, keeping the transition time of every condition that did not change. */
    static PodStatus running(Pod pod, Observed observed) {
        PodStatus old = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        String started = observed.startTime().truncatedTo(ChronoUnit.SECONDS).toString();
        String ready = observed.ready() ? "True" : "False";
        List<PodCondition> conditions = List.of(
                condition(old, "PodReadyToStartContainers", "True"),
                condition(old, "Initialized", "True"),
                condition(old, "Ready", ready),
                condition(old, "ContainersReady", ready),
                condition(old, "PodScheduled", "True"));
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            ContainerStatusBuilder status = base(pod, container).withReady(observed.ready())
                    .withStarted(observed.failure() == null).withRestartCount(observed.restarts());
            if (observed.failure() == null) {
                status.withNewState().withNewRunning(started).endState();
            } else {
                status.withNewState().withNewWaiting(observed.failure(), "CrashLoopBackOff").endState();
            }
            containers.add(status.build());
        }
        List<ContainerStatus> initContainers = new ArrayList<>();
        for (Container container : Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of())) {
            initContainers.add(base(pod, container).withReady(true).withStarted(false).withRestartCount(0)
                    .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                    .withStartedAt(started).withFinishedAt(started).endTerminated().endState().build());
        }
        return new PodStatusBuilder().withPhase("Running").withConditions(conditions)
                .withHostIP(POD_IP).addNewHostIP(POD_IP).withPodIP(POD_IP).addNewPodIP(POD_IP)
                .withStartTime(Optional.ofNullable(old.getStartTime()).orElse(started))
                .withQosClass(old.getQosClass()).withContainerStatuses(containers)
                .withInitContainerStatuses(initContainers).build();
    }

    /** The status of a terminating pod: no longer ready, as the kubelet reports once it sends SIGTERM. */
    static PodStatus terminating(Pod pod) {
        PodStatus old = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : Optional.ofNullable(old.getConditions()).orElse(List.of())) {
            boolean readiness = c.getType().equals("Ready") || c.getType().equals("ContainersReady");
            conditions.add(readiness ? condition(old, c.getType(), "False") : c);
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (ContainerStatus c : Optional.ofNullable(old.getContainerStatuses()).orElse(List.of())) {
            containers.add(new ContainerStatusBuilder(c).withReady(false).build());
        }
        return new PodStatusBuilder(old).withConditions(conditions).withContainerStatuses(containers).build();
    }

    private static ContainerStatusBuilder base(Pod pod, Container container) {
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withImageID("sandbox://" + container.getImage())
                .withContainerID("sandbox://" + pod.getMetadata().getUid() + "/" + container.getName());
    }

    private static PodCondition condition(PodStatus old, String type, String status) {
        Optional<PodCondition> previous = Optional.ofNullable(old.getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType())).findFirst();
        String since = previous.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime)
                .orElse(now());
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(since).build();
    }
}
