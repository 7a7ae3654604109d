package io.coxswain.orchestrator.executor.tls;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The certificate renewal each Kafka pod was started with, as its {@link TlsSecrets#RENEWALS_ANNOTATION}
 * annotation says (copied from the StatefulSet's template when the pod was made). A pod started at
 * renewal {@code r} read the node Secret as it was written with that count, or later: this is how a
 * CA renewal knows that every node loaded a trust bundle. A pod without the annotation was started
 * before any renewal (0).
 */
final class PodRenewals {

    /** Expected pod → the renewal it was started at; absent while it does not run (not made yet, or being deleted). */
    private final Map<String, Integer> started;
    /** Of those, the Ready ones: a roll's step is over once its pod is back and Ready. */
    private final Set<String> ready;
    private final List<String> expected;

    private PodRenewals(List<String> expected, Map<String, Integer> started, Set<String> ready) {
        this.expected = expected;
        this.started = started;
        this.ready = ready;
    }

    /** @param brokerPods brokers the StatefulSet runs or is about to: every one must have loaded the bundle */
    static PodRenewals read(KubeObjects kube, ClusterNames names, int controllers, int brokerPods) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < controllers; i++) {
            expected.add(names.pod(KafkaRole.CONTROLLER, i));
        }
        for (int i = 0; i < brokerPods; i++) {
            expected.add(names.pod(KafkaRole.BROKER, i));
        }
        Map<String, Integer> started = new LinkedHashMap<>();
        Set<String> ready = new HashSet<>();
        for (Pod pod : kube.pods(names.namespace(), names.clusterSelector())) {
            String name = pod.getMetadata().getName();
            if (expected.contains(name) && pod.getMetadata().getDeletionTimestamp() == null) {
                started.put(name, TlsSecrets.renewals(pod.getMetadata().getAnnotations()));
                if (ComponentObserver.isReady(pod)) {
                    ready.add(name);
                }
            }
        }
        return new PodRenewals(List.copyOf(expected), started, ready);
    }

    boolean anyRunning() {
        return !started.isEmpty();
    }

    /**
     * Every expected pod runs and is Ready, started at renewal {@code r} or later (so the roll that
     * renewal asked for is over, not just its last pod re-created); or none runs, so no node holds
     * older files (pods made from now on read the Secret as it is).
     */
    boolean allStartedAtLeast(int r) {
        return started.isEmpty() || behind(r).isEmpty();
    }

    /** The expected pods not running or not Ready yet, or started before renewal {@code r}: what a roll still has to do. */
    List<String> behind(int r) {
        return expected.stream().filter(p -> !ready.contains(p) || started.get(p) < r).toList();
    }
}
