package io.coxswain.orchestrator.executor.observe;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.ObservationSink;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what Kubernetes shows back to the command log, on change only: per component desired,
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

    public void reportComponents(ClusterState state, ClusterNames names) {
        for (KafkaRole role : KafkaRole.values()) {
            Optional<ComponentObserved> seen = components.observe(names, role);
            if (seen.isEmpty() && state.getStatus().getComponents().containsKey(role.statusKey())) {
                // the role's objects are gone although the state still lists it: report it empty
                seen = Optional.of(ComponentObserved.newBuilder().setComponent(role.statusKey()).setDesired(0).setReady(0).build());
            }
            seen.ifPresent(observed -> {
                boolean folded = ComponentObserver.sameAs(observed, state.getStatus().getComponents().get(role.statusKey()));
                record(state, role.statusKey(), observed, folded);
            });
        }
    }

    public void reportEndpoint(ClusterState state, String bootstrapServers) {
        EndpointObserved e = EndpointObserved.newBuilder().setBootstrapServers(bootstrapServers).build();
        record(state, "endpoint", e, Objects.equals(state.getStatus().getBootstrapServers(), bootstrapServers));
    }

    public void reportRemoved(ClusterState state, boolean volumesDeleted) {
        ClusterRemovedObserved removed = ClusterRemovedObserved.newBuilder().setVolumesDeleted(volumesDeleted).build();
        record(state, "removed", removed, Phases.DELETED.equals(state.getStatus().getPhase()));
    }

    public void forget(String clusterId) {
        changes.forget(clusterId);
    }

    private void record(ClusterState state, String key, Object observation, boolean alreadyFolded) {
        String clusterId = state.getClusterId();
        if (changes.shouldRecord(clusterId, key, observation, alreadyFolded)) {
            String commandId = sink.record(clusterId, observation);
            changes.recorded(clusterId, key, observation);
            log.info("cluster {}: observed {} {} (recorded as {})", clusterId, key, observation, commandId);
        }
    }
}
