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
     * Makes the call. A CREATE with an initial state that Connect answers 409 (the connector is there already) or
     * "Unrecognized field initial_state" (older workers) throws: the executor then records and makes other calls.
     *
     * @return Connect's answer to an offsets reset, when it says something worth a log line; otherwise empty
     */
    public String apply(ConnectRest rest, java.util.Map<String, String> config, boolean onlyFailed) {
        switch (kind) {
            case RESET_OFFSETS -> {
                String said = rest.resetOffsets(name);
                return said.isEmpty() ? "" : "Connect says: " + said;
            }
            case CREATE -> {
                if (initialState != null) {
                    rest.create(name, config, initialState);
                } else {
                    rest.putConfig(name, config);
                }
            }
            case UPDATE -> rest.putConfig(name, config);
            case PAUSE -> rest.pause(name);
            case RESUME -> rest.resume(name);
            case STOP -> rest.stop(name);
            case RESTART -> rest.restart(name, onlyFailed);
            case DELETE -> rest.delete(name);
            default -> throw new IllegalStateException("no call for " + kind);
        }
        return "";
    }
}
