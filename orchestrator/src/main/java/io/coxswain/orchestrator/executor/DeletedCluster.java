package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.orchestrator.fold.Phases;

/**
 * What the fleet view keeps of a cluster in its {@link Phases#DELETED} phase, pure: its id, version and times, the spec's
 * required scalars and the phase, nothing of its topics, users, mirrors or connectors. Enough for a mirror from it to say
 * that its source was deleted, and at which version, rather than that it is not known; a few hundred bytes a cluster.
 */
final class DeletedCluster {

    private DeletedCluster() {
    }

    static ClusterState marker(ClusterState deleted) {
        ClusterSpec spec = deleted.getSpec();
        return ClusterState.newBuilder().setClusterId(deleted.getClusterId()).setVersion(deleted.getVersion())
                .setCreatedAt(deleted.getCreatedAt()).setUpdatedAt(deleted.getUpdatedAt()).setLastCommandId(deleted.getLastCommandId())
                .setSpec(ClusterSpec.newBuilder().setKafkaVersion(spec.getKafkaVersion()).setControllers(spec.getControllers())
                        .setBrokers(spec.getBrokers()).setStorage(spec.getStorage()).setImage(spec.getImage()).setDeleteRequested(true).build())
                .setStatus(ClusterStatus.newBuilder().setPhase(Phases.DELETED).build()).build();
    }
}
