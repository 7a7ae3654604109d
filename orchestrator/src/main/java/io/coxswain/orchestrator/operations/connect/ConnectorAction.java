package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.command.ResourceAction;

/**
 * One call to make on the Connect cluster, with the reason recorded before it is made.
 *
 * @param detail what changes, for the audit trail (never a configuration value: a secret could hide in one)
 */
public record ConnectorAction(Kind kind, String name, String reason, String detail) {

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
     * @return what Connect said, when it is worth a log line (an offsets reset's message); otherwise empty
     */
    public String apply(ConnectRest rest, java.util.Map<String, String> config, boolean onlyFailed) {
        if (kind == Kind.RESET_OFFSETS) {
            return rest.resetOffsets(name);
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
}
