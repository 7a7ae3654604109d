package io.coxswain.commands;

/**
 * Keys of {@code status.executorRefusals} that a wait reads back to tell whether a refusal keeps what it waits for from
 * happening (cox wait, a fleet run, cox offsets reset --wait): the executor writes them, cox reads them, so they are named
 * here once. The live broker keys Kafka refused are {@link BrokerConfigRefusalReasons#KEY_PREFIX}....
 */
public final class ExecutorRefusalKeys {

    /** The cluster's namespace is not one the executor reconciles: it does nothing for the cluster at all. */
    public static final String NAMESPACE = "namespace";
    /** The cluster's latest state was written with a newer state schema than the executor reads: it does nothing for it. */
    public static final String STATE_SCHEMA = "stateSchema";
    /** An executor whose pods run no Kafka ({@code coxswain dev --pods=ready}) runs no operation: an upgrade, restart, roll. */
    public static final String OPERATION = "operation";
    /** Such an executor carries out no consumer group offset reset either. */
    public static final String OFFSET_RESETS = "offsetResets";

    private ExecutorRefusalKeys() {
    }
}
