package io.coxswain.commands.nodes;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a node tells the others which commands schema it folds with, without a topic of its own: its Kafka Streams
 * client id ends in {@code -commands-vN}, and Kafka shows every member's client id to whoever describes the fold's
 * consumer group (the gateway and a {@code CommandClient} do, before they write a command: {@link NodeGate}). Streams
 * derives its consumers' ids from it ({@code <client.id>-StreamThread-1-consumer}), so the tag is looked for anywhere
 * in an id, and the last one counts. A Coxswain from before this announces nothing: its members' versions are unknown.
 */
public final class SchemaAnnouncement {

    private static final String TAG = "commands-v";
    private static final Pattern VERSION = Pattern.compile("(?:^|[-.])" + TAG + "(\\d{1,6})(?=$|[-.])");

    private SchemaAnnouncement() {
    }

    /** {@code base} with the announcement of commands schema {@code version}: {@code app-1a2b3c4d-commands-v29}. */
    public static String clientId(String base, int version) {
        return base + "-" + TAG + version;
    }

    /** The commands schema version a client id announces; empty when it announces none. */
    public static OptionalInt version(String clientId) {
        if (clientId == null) {
            return OptionalInt.empty();
        }
        Matcher m = VERSION.matcher(clientId);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            found = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return found;
    }
}
