package io.coxswain.commands;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;

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

    /**
     * Whether {@code d} decides the command record its sender wrote at {@code recordOffset} (-1: not
     * known yet, any record with the id). Anyone may send a record with the same id; a decision that
     * names another record's offset (a forged record's refusal, say) is not this sender's answer.
     * Decisions from nodes before the offset was recorded name none.
     */
    public static boolean decides(Decision d, long recordOffset) {
        return decides(d.getCommandOffset(), recordOffset);
    }

    /** The same, for a decision whose {@code commandOffset} is all that is read of it (null: it names none). */
    public static boolean decides(Long commandOffset, long recordOffset) {
        return recordOffset < 0 || commandOffset == null || commandOffset == recordOffset;
    }

    /** The command type as users and the gateway name it: the payload record's simple name. */
    public static String typeOf(Command command) {
        Object payload = command.getPayload();
        return payload == null ? "Unknown" : TYPE_NAMES.get(payload.getClass());
    }
}
