package io.coxswain.commands;

import io.coxswain.avro.command.Command;

/** Entry point for building commands: {@code Commands.on("payments").scaleBrokers(5)}. */
public final class Commands {

    /**
     * Per payload class, its schema's name. Asked of every command the fold decides and every record a
     * replay reads; reaching the name through the payload's schema was 4-5% of a replay's fold threads
     * (async-profiler, bench/), a class's own map is a step away.
     */
    private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return org.apache.avro.specific.SpecificData.get().getSchema(type).getName();
        }
    };

    private Commands() {
    }

    public static CommandBuilder on(String clusterId) {
        return new CommandBuilder(clusterId);
    }

    /** The command type as users and the gateway name it: the payload record's simple name. */
    public static String typeOf(Command command) {
        Object payload = command.getPayload();
        return payload == null ? "Unknown" : TYPE_NAMES.get(payload.getClass());
    }
}
