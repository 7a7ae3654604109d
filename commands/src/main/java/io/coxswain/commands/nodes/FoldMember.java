package io.coxswain.commands.nodes;

import java.util.OptionalInt;

/**
 * A member of the fold's consumer group as Kafka describes it: one per stream thread of a node.
 *
 * @param instanceId            the static membership id, null when the member has none
 * @param commandsSchemaVersion what its client id announces ({@code SchemaAnnouncement}); empty for a Coxswain from before
 *                              announcements (or a client id an operator set without the tag), whose version is unknown
 */
public record FoldMember(String memberId, String clientId, String host, String instanceId, OptionalInt commandsSchemaVersion) {

    private static final String STREAMS_THREAD = "-StreamThread-\\d+-consumer$";

    /** The node the member is a thread of: its client id without Kafka Streams' thread suffix, as in its {@code client.id}. */
    public String node() {
        return clientId.replaceFirst(STREAMS_THREAD, "");
    }

    /** "app-1a2b3c4d-commands-v28 on /10.0.0.5": how a log line or an error names the node. */
    public String describe() {
        return node() + " on " + host;
    }
}
