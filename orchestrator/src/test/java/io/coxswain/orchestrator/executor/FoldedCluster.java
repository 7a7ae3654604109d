package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.fold.Evolve;
import java.util.ArrayList;
import java.util.List;

/** One cluster reconciled by a reconciler, with what it recorded folded into its state as the topology would. */
class FoldedCluster {

    private final ClusterReconciler reconciler;
    private final RecordingSink sink;
    private final List<Object> recorded = new ArrayList<>();
    ClusterState state;

    FoldedCluster(ClusterReconciler reconciler, RecordingSink sink, ClusterState state) {
        this.reconciler = reconciler;
        this.sink = sink;
        this.state = state;
    }

    void fold(Command command) {
        state = Evolve.apply(state, command);
    }

    /** A pass acting for {@code cause}; what it recorded for this cluster is folded. */
    void pass(String cause) {
        int before = sink.entries().size();
        reconciler.reconcile(new ReconcilePass(state, cause));
        List<RecordingSink.Entry> entries = sink.entries();
        for (RecordingSink.Entry e : entries.subList(before, entries.size())) {
            if (e.clusterId().equals(state.getClusterId())) {
                recorded.add(e.observation());
                fold(Commands.on(state.getClusterId()).commandId("obs-" + state.getVersion()).observation("test", e.observation()));
            }
        }
    }

    /** Every observation recorded for the cluster so far, in order. */
    List<Object> recorded() {
        return recorded;
    }
}
