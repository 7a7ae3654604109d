package io.coxswain.orchestrator.topology;

import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.orchestrator.fold.CommandFold;
import java.util.Optional;

/**
 * The fold's memory as a node keeps it, states and decisions written by whichever Coxswain folded the cluster last: a state
 * a newer fold wrote may hold what this node's state schema lacks, which {@link #newerState} says before anything is folded
 * onto it ({@link NewerStateFields}), and so may a command id's first decision, which {@link #newerDecision} says before a
 * repeat of the id is answered with it ({@link NewerDecisionFields}). {@link #state} and {@link #decided} are then not to
 * be asked for that cluster or that command id.
 */
public interface StoredStates extends CommandFold.Memory {

    /**
     * What this node's state schema lacks of the cluster's stored state ({@code AvroWireCodec.read}); empty when it reads it
     * whole or none is stored.
     */
    Optional<DroppedFields> newerState(String clusterId);

    /**
     * What this node's events schema lacks of the first decision of a command id ({@code AvroWireCodec.read}); empty when it
     * reads it whole or the id was not decided.
     */
    Optional<DroppedFields> newerDecision(String clusterId, String commandId);
}
