package io.coxswain.commands.nodes;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeStreamsGroupsOptions;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members of the fold's consumer group, as Kafka describes them, with the commands schema version each
 * announces in its client id. Kafka is asked at most every {@link #FRESH_FOR}, and only when someone asks (a command
 * posted to the gateway or sent by a {@code CommandClient}, {@code GET /v1/nodes}): a node that joins or leaves is seen
 * within that long while commands flow, and a burst of commands costs one question. Nobody waits for a question while the
 * last answer is younger than {@link #USED_FOR}: it is used while the next one is asked in the background, since a
 * describe takes tens of milliseconds on a busy broker, and every command arriving meanwhile waited for it (at 1,000
 * commands/s the gateway's write p99 went from 11 to 79 ms). Only a first look, or one after a quiet spell longer than
 * that, is waited for; while a question is out, everyone who waits waits for the same answer. A look that is a few seconds
 * behind costs little: a node older than the command is refused by the node's own check once written, as before this one.
 * Describing the group takes {@code Describe} on it (Kafka's ACL on the group resource).
 */
public final class FoldMembers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FoldMembers.class);
    /** The nodes' application id, and so the fold's group, unless {@code --application-id} says otherwise. */
    public static final String DEFAULT_GROUP = "coxswain-node";
    /** How long an answer is used: a rolling upgrade replaces a node in minutes, a command is answered in milliseconds. */
    static final Duration FRESH_FOR = Duration.ofSeconds(3);
    /** How long an answer is still used, while a newer one is asked in the background, before a caller waits for Kafka. */
    static final Duration USED_FOR = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String group;
    private final boolean streamsProtocol;
    private final Clock clock;
    /** Its {@link FoldView#asOf} is also its age: the clock a test can move. */
    private FoldView seen;
    private CompletableFuture<FoldView> asking;

    /**
     * @param clientIdPrefix  names the admin client to the brokers ({@code coxswain-gateway-nodes}), a random suffix appended
     * @param group           the fold's consumer group: the nodes' application id
     * @param clientOverrides the node's client settings (security); a {@code group.protocol} of {@code streams} there means
     *                        the fold runs Kafka Streams' own group protocol, described by another call
     */
    public FoldMembers(String clientIdPrefix, String bootstrapServers, Map<String, Object> clientOverrides, String group, Clock clock) {
        Properties a = new Properties();
        a.putAll(clientOverrides);
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(a);
        this.group = group;
        this.streamsProtocol = "streams".equalsIgnoreCase(String.valueOf(clientOverrides.get("group.protocol")));
        this.clock = clock;
    }

    public String group() {
        return group;
    }

    /**
     * The group as last seen, if that was less than {@link #FRESH_FOR} ago; as last seen too, asking Kafka again in the
     * background, if less than {@link #USED_FOR} ago; else as Kafka answers now (within 5 s, or unavailable).
     */
    public synchronized CompletableFuture<FoldView> current() {
        Duration age = seen == null ? ChronoUnit.FOREVER.getDuration() : Duration.between(seen.asOf(), clock.instant());
        if (age.compareTo(FRESH_FOR) < 0) {
            return CompletableFuture.completedFuture(seen);
        }
        CompletableFuture<FoldView> answer = ask();
        // an answer Kafka gave at once was remembered on this thread already: seen is then the new one
        return age.compareTo(USED_FOR) < 0 ? CompletableFuture.completedFuture(seen) : answer;
    }

    /** The question out to Kafka, asked now unless one is out already. */
    private CompletableFuture<FoldView> ask() {
        if (asking != null) {
            return asking;
        }
        CompletableFuture<FoldView> answer = describe().handle(this::remember).toCompletableFuture();
        if (!answer.isDone()) { // else it was remembered already, on this thread
            asking = answer;
        }
        return answer;
    }

    private synchronized FoldView remember(List<FoldMember> members, Throwable error) {
        FoldView view;
        if (error == null) {
            view = new FoldView(group, members.stream().sorted(Comparator.comparing(FoldMember::clientId).thenComparing(FoldMember::memberId))
                    .toList(), null, clock.instant());
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            view = new FoldView(group, List.of(), cause.toString(), clock.instant());
            log.warn("Could not describe the fold's consumer group {} ({}){}; until Kafka answers, commands are written without checking the"
                    + " nodes' commands schema versions, and a node that cannot read one whole rejects it (its id stays free to send again)",
                    group, cause.toString(), cause instanceof GroupAuthorizationException
                            ? ": this client's principal needs Describe on group " + group + " (a Kafka ACL)"
                            : cause instanceof GroupIdNotFoundException ? ": no node runs in it; is it the nodes' application id?" : "");
        }
        seen = view;
        asking = null;
        return view;
    }

    private CompletionStage<List<FoldMember>> describe() {
        int timeoutMs = (int) TIMEOUT.toMillis();
        if (streamsProtocol) {
            return admin.describeStreamsGroups(List.of(group), new DescribeStreamsGroupsOptions().timeoutMs(timeoutMs)).describedGroups().get(group)
                    .toCompletionStage().thenApply(g -> g.members().stream()
                            .map(m -> member(m.memberId(), m.clientId(), m.clientHost(), m.instanceId().orElse(null))).toList());
        }
        return admin.describeConsumerGroups(List.of(group), new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs)).describedGroups().get(group)
                .toCompletionStage().thenApply(g -> g.members().stream()
                        .map(m -> member(m.consumerId(), m.clientId(), m.host(), m.groupInstanceId().orElse(null))).toList());
    }

    /** @param host as Kafka gives it, {@code /10.0.0.5}: shown without the slash */
    private static FoldMember member(String memberId, String clientId, String host, String instanceId) {
        return new FoldMember(memberId, clientId, host.startsWith("/") ? host.substring(1) : host, instanceId, SchemaAnnouncement.version(clientId));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
