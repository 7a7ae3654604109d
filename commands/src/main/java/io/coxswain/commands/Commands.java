package io.coxswain.commands;

import io.coxswain.avro.command.Command;

/** Entry point for building commands: {@code Commands.on("payments").scaleBrokers(5)}. */
public final class Commands {

    private Commands() {
    }

    public static CommandBuilder on(String clusterId) {
        return new CommandBuilder(clusterId);
    }

    /** The command type as users and the gateway name it: the payload record's simple name. */
    public static String typeOf(Command command) {
        Object payload = command.getPayload();
        return payload == null ? "Unknown" : ((org.apache.avro.specific.SpecificRecord) payload).getSchema().getName();
    }
}
