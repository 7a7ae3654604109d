package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterState;

/**
 * One reconcile of one cluster: the state it works from and the command it acts for.
 *
 * @param cause the command whose consequence this pass's actions are (the last intent known, else the state's last command)
 */
public record ReconcilePass(ClusterState state, String cause) {

    public String clusterId() {
        return state.getClusterId();
    }

    public long version() {
        return state.getVersion();
    }
}
