package io.coxswain.orchestrator.executor.model;

import io.coxswain.orchestrator.fold.Phases;

/**
 * The two kinds of Kafka node Coxswain runs, each as its own StatefulSet. Node ids: brokers use
 * their pod ordinal (0, 1, 2, ...), controllers {@value #CONTROLLER_ID_BASE} + ordinal, so broker
 * ids stay small and stable while brokers are added, and the two ranges never meet.
 */
public enum KafkaRole {
    CONTROLLER("controller", Phases.CONTROLLERS, 1000),
    BROKER("broker", Phases.BROKERS, 0);

    public static final int CONTROLLER_ID_BASE = 1000;

    /** Label value of {@code app.kubernetes.io/component}, and the middle of object names. */
    private final String component;
    /** Key of this role in {@code status.components} of the folded state. */
    private final String statusKey;
    private final int nodeIdBase;

    KafkaRole(String component, String statusKey, int nodeIdBase) {
        this.component = component;
        this.statusKey = statusKey;
        this.nodeIdBase = nodeIdBase;
    }

    public String component() {
        return component;
    }

    public String statusKey() {
        return statusKey;
    }

    public int nodeId(int ordinal) {
        return nodeIdBase + ordinal;
    }

    /** The Kafka {@code process.roles} value. */
    public String processRole() {
        return component;
    }
}
