package io.coxswain.orchestrator.topology;

import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.orchestrator.fold.CommandFold;
import java.util.Optional;

/**
 * The fold's memory as a node keeps it, states written by whichever Coxswain folded the cluster last: a state a newer
 * fold wrote may hold what this node's state schema lacks, which {@link #newerState} says before anything is folded onto
 * it ({@link NewerStateFields}). {@link #state} is then not to be asked for that cluster.
 */
public interface StoredStates extends CommandFold.Memory {

    /**
     * What this node's state schema lacks of the cluster's stored state ({@code AvroWireCodec.read}); empty when it reads it
     * whole or none is stored.
     */
    Optional<DroppedFields> newerState(String clusterId);
}
