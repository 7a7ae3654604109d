package io.coxswain.orchestrator;

import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.fold.CommandFold;
import java.util.Optional;
import java.util.function.Supplier;

/** Fold memories for tests that fold commands without a topology: one cluster's state, no command decided. */
public final class FoldMemories {

    private FoldMemories() {
    }

    /** The state is whatever {@code state} gives when the fold asks (null: none). */
    public static CommandFold.Memory of(Supplier<ClusterState> state) {
        return new CommandFold.Memory() {
            @Override
            public Optional<ClusterState> state(String clusterId) {
                return Optional.ofNullable(state.get());
            }

            @Override
            public Optional<Decision> decided(String clusterId, String commandId) {
                return Optional.empty();
            }
        };
    }

    /** @param state null: none, as before a cluster is created */
    public static CommandFold.Memory holding(ClusterState state) {
        return of(() -> state);
    }
}
