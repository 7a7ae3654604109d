package io.coxswain.orchestrator.fold;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.OperationStatus;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The starting point of the state after a command: a copy of the current state that FOLD may change
 * without touching the original, which the stores and the decoded-state cache still hold.
 *
 * <p>Only the records FOLD sets fields on are copied (state, spec, status, operation); maps, lists
 * and the records inside them are shared with the original. So FOLD follows one rule: it replaces a
 * collection or a record inside one, and never changes it in place. {@code NextStateTest} checks the
 * rule over every command type. A deep copy (Avro's builder) did the same job at a fifth of the
 * fold's CPU (see bench/).
 */
final class NextState {

    private NextState() {
    }

    static ClusterState of(ClusterState current) {
        ClusterState next = shallow(current, ClusterState::new);
        next.setSpec(shallow(current.getSpec(), ClusterSpec::new));
        ClusterStatus status = shallow(current.getStatus(), ClusterStatus::new);
        if (status.getOperation() != null) {
            status.setOperation(shallow(status.getOperation(), OperationStatus::new));
        }
        next.setStatus(status);
        return next;
    }

    /** Field by field, by position: robust to fields added in later schema versions. */
    private static <T extends SpecificRecordBase> T shallow(T source, Supplier<T> blank) {
        T copy = blank.get();
        int fields = source.getSchema().getFields().size();
        for (int i = 0; i < fields; i++) {
            copy.put(i, source.get(i));
        }
        return copy;
    }
}
