package io.coxswain.orchestrator.executor.observe;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.state.CaStatus;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.ObservationSink;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what Kubernetes shows back to the command log, on change only: per Kafka role and
 * platform component desired,
 * ready, versions and image; the bootstrap address; the removal of a deleted cluster. The phase
 * is not reported: the fold derives it from these.
 */
public final class StatusReporter {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final ComponentObserver components;
    private final ObservationSink sink;
    private final ChangeFilter changes;

    public StatusReporter(ComponentObserver components, ObservationSink sink, Duration inFlight) {
        this.components = components;
        this.sink = sink;
        this.changes = new ChangeFilter(inFlight);
    }

    /**
     * Reports the Kafka roles and each platform component the spec asks for. A component removed
     * from the spec is not reported: the fold drops its status entry when it accepts the removal.
     */
    public void reportComponents(ClusterState state, ClusterNames names) {
        for (KafkaRole role : KafkaRole.values()) {
            report(state, names, Workload.of(names, role));
        }
        for (PlatformComponent component : DesiredCluster.platformComponents(state.getSpec())) {
            report(state, names, Workload.of(names, component));
        }
    }

    private void report(ClusterState state, ClusterNames names, Workload workload) {
        String key = workload.statusKey();
        Optional<ComponentObserved> seen = components.observe(names, workload);
        if (seen.isEmpty() && state.getStatus().getComponents().containsKey(key)) {
            // the workload's objects are gone although the state still lists it: report it empty
            seen = Optional.of(ComponentObserved.newBuilder().setComponent(key).setDesired(0).setReady(0).build());
        }
        seen.ifPresent(observed -> record(state, key, observed, ComponentObserver.sameAs(observed, state.getStatus().getComponents().get(key))));
    }

    public void reportEndpoint(ClusterState state, String bootstrapServers) {
        EndpointObserved e = EndpointObserved.newBuilder().setBootstrapServers(bootstrapServers).build();
        record(state, "endpoint", e, Objects.equals(state.getStatus().getBootstrapServers(), bootstrapServers));
    }

    /** The cluster CA, once per change: which signs, when it expires, which are trusted (the evidence of a renewal or replacement). */
    public void reportCa(ClusterState state, CaObserved ca) {
        CaStatus folded = state.getStatus().getCa();
        boolean same = folded != null && folded.getFingerprint().equals(ca.getFingerprint()) && folded.getNotAfter().equals(ca.getNotAfter())
                && folded.getTrusted().equals(ca.getTrusted());
        record(state, "ca", ca, same);
    }

    /**
     * A pass over {@code state} finished: every object applied and whatever operation it calls for started. Once per
     * intentVersion, so a user (or a fleet run) can tell "not acted on yet" from "done" (with phase Ready).
     */
    public void reportReconciled(ClusterState state) {
        ReconciledObserved reconciled = ReconciledObserved.newBuilder().setIntentVersion(state.getIntentVersion()).build();
        record(state, "reconciled", reconciled, state.getStatus().getReconciledIntentVersion() >= state.getIntentVersion());
    }

    /** The intentVersion a replay of the log gives a state folded before intent versions (see {@link LegacyIntentVersions}). */
    public void reportReplayedIntentVersion(ClusterState state, long intentVersion) {
        record(state, "intent-version", IntentVersionReplayed.newBuilder().setIntentVersion(intentVersion).build(),
                state.getIntentVersion() == intentVersion);
    }

    /**
     * The whole set of what the executor refuses for the cluster ({@code status.executorRefusals}), on change only: a pass that
     * finds the same set records nothing, and an empty set clears what the state shows.
     */
    public void reportRefusals(ClusterState state, Map<String, ExecutorRefusalObserved> refusals) {
        Map<String, ExecutorRefusalObserved> shown = new TreeMap<>();
        state.getStatus().getExecutorRefusals().forEach((key, r) -> shown.put(key, new ExecutorRefusalObserved(r.getReason(), r.getCommandId())));
        reportRefusals(state.getClusterId(), shown, refusals);
    }

    /** As {@link #reportRefusals(ClusterState, Map)}, for a cluster whose state is known only by the refusals it shows. */
    public void reportRefusals(String clusterId, Map<String, ExecutorRefusalObserved> shown, Map<String, ExecutorRefusalObserved> refusals) {
        Map<String, ExecutorRefusalObserved> sorted = new TreeMap<>(refusals);
        boolean same = sorted.keySet().equals(shown.keySet()) && sorted.entrySet().stream().allMatch(e -> {
            ExecutorRefusalObserved before = shown.get(e.getKey());
            return before.getReason().equals(e.getValue().getReason()) && Objects.equals(before.getCommandId(), e.getValue().getCommandId());
        });
        record(clusterId, "refusals", ExecutorRefusalsObserved.newBuilder().setRefusals(sorted).build(), same);
    }

    public void reportRemoved(ClusterState state, boolean volumesDeleted) {
        ClusterRemovedObserved removed = ClusterRemovedObserved.newBuilder().setVolumesDeleted(volumesDeleted).build();
        record(state, "removed", removed, Phases.DELETED.equals(state.getStatus().getPhase()));
    }

    public void forget(String clusterId) {
        changes.forget(clusterId);
    }

    private void record(ClusterState state, String key, Object observation, boolean alreadyFolded) {
        record(state.getClusterId(), key, observation, alreadyFolded);
    }

    private void record(String clusterId, String key, Object observation, boolean alreadyFolded) {
        if (changes.shouldRecord(clusterId, key, observation, alreadyFolded)) {
            String commandId = sink.record(clusterId, observation);
            changes.recorded(clusterId, key, observation);
            log.info("cluster {}: observed {} {} (recorded as {})", clusterId, key, observation, commandId);
        }
    }
}
