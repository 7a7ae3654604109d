package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.command.ResourceAction;

/**
 * One call to make on the Connect cluster, with the reason recorded before it is made.
 *
 * @param detail       what changes, for the audit trail (never a configuration value: a secret could hide in one)
 * @param initialState of a CREATE, the state Connect creates the connector in ({@code POST /connectors}, KIP-980); null when
 *                     it is created RUNNING by {@code PUT /connectors/<name>/config} (Connect before Kafka 3.7) and of other kinds
 */
public record ConnectorAction(Kind kind, String name, String reason, String detail, String initialState) {

    public ConnectorAction(Kind kind, String name, String reason, String detail) {
        this(kind, name, reason, detail, null);
    }

    /** Recorded as ResourceActionObserved of this kind on a {@code KafkaConnector}, or on its offsets. */
    public static final String RESOURCE_KIND = "KafkaConnector";
    public static final String OFFSETS_KIND = "KafkaConnectorOffsets";

    /** What the recorded action names: the connector, or (a reset) its offsets, so a DELETE of them never reads as the connector's. */
    public String resourceKind() {
        return kind == Kind.RESET_OFFSETS ? OFFSETS_KIND : RESOURCE_KIND;
    }

    public enum Kind {
        CREATE(ResourceAction.CREATE), UPDATE(ResourceAction.UPDATE), PAUSE(ResourceAction.UPDATE), RESUME(ResourceAction.UPDATE),
        STOP(ResourceAction.UPDATE), RESTART(ResourceAction.RESTART), DELETE(ResourceAction.DELETE), RESET_OFFSETS(ResourceAction.DELETE);

        private final ResourceAction recorded;

        Kind(ResourceAction recorded) {
            this.recorded = recorded;
        }

        public ResourceAction recorded() {
            return recorded;
        }
    }

    /**
     * Makes the call.
     *
     * @return what happened, when it is worth a log line (Connect's answer to an offsets reset, a creation that found the
     *     connector there); otherwise empty
     */
    public String apply(ConnectRest rest, java.util.Map<String, String> config, boolean onlyFailed) {
        if (kind == Kind.RESET_OFFSETS) {
            String said = rest.resetOffsets(name);
            return said.isEmpty() ? "" : "Connect says: " + said;
        }
        if (kind == Kind.CREATE && initialState != null) {
            return create(rest, config);
        }
        switch (kind) {
            case CREATE, UPDATE -> rest.putConfig(name, config);
            case PAUSE -> rest.pause(name);
            case RESUME -> rest.resume(name);
            case STOP -> rest.stop(name);
            case RESTART -> rest.restart(name, onlyFailed);
            case DELETE -> rest.delete(name);
            default -> throw new IllegalStateException("no call for " + kind);
        }
        return "";
    }

    /**
     * Creates the connector in its state. One that is there already (made between this pass's look and now, by an executor
     * that died before recording it, or by hand) is brought to the state first, then given the configuration: both calls
     * are idempotent, and a connector asked STOPPED or PAUSED is held so before anything else changes.
     */
    private String create(ConnectRest rest, java.util.Map<String, String> config) {
        try {
            rest.create(name, config, initialState);
            return "";
        } catch (ConnectRestException e) {
            if (!e.alreadyExists()) {
                throw e;
            }
        }
        switch (initialState) {
            case ConnectorPlan.STOPPED -> rest.stop(name);
            case ConnectorPlan.PAUSED -> rest.pause(name);
            default -> rest.resume(name);
        }
        rest.putConfig(name, config);
        return "already on Connect when created (made since this pass looked): asked " + initialState
                + ", then given the state's configuration";
    }
}
