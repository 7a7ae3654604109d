package io.coxswain.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.orchestrator.topology.CoxswainTopology;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;

/**
 * A real member of a harness node's fold group, running the fold with Kafka Streams under a client id of the test's
 * choosing: with {@code -commands-vN} in it, a node announcing commands schema vN, as an older Coxswain's does during a
 * rolling upgrade ({@link NodesBehindApiTest}). Leaving, it leaves the group at once, and closing returns once the harness
 * node folds every partition again: a command sent next is decided as promptly as before it joined.
 */
final class FoldGroupMember implements AutoCloseable {

    private final KafkaStreams streams;
    private final Path stateDir;
    private final KafkaStreams node;
    private final Set<TaskId> nodeTasks;

    private FoldGroupMember(KafkaStreams streams, Path stateDir, KafkaStreams node, Set<TaskId> nodeTasks) {
        this.streams = streams;
        this.stateDir = stateDir;
        this.node = node;
        this.nodeTasks = nodeTasks;
    }

    static FoldGroupMember join(GatewayHarness h, String clientId) throws Exception {
        Set<TaskId> nodeTasks = activeTasks(h.node.streams());
        NodeConfig own = h.node.config();
        Path stateDir = Files.createTempDirectory("coxswain-fold-member");
        NodeConfig nc = own.withStateDir(stateDir); // the node's own settings, a state directory of its own
        Properties props = CoxswainNode.streamsProps(nc);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        KafkaStreams streams = new KafkaStreams(CoxswainTopology.build(own.topics(), h.node.codecs()), props);
        streams.start();
        FoldGroupMember member = new FoldGroupMember(streams, stateDir, h.node.streams(), nodeTasks);
        try {
            Poll.until(Duration.ofSeconds(90), clientId + " RUNNING in the fold's group", () -> streams.state() == KafkaStreams.State.RUNNING);
        } catch (AssertionError e) {
            member.close();
            throw e;
        }
        return member;
    }

    /** GET /v1/nodes once it says {@code what}: a member's join or leave is seen after the group's rebalance and the gateway's few seconds of cache. */
    static JsonNode awaitNodes(GatewayHarness h, String what, Predicate<JsonNode> holds) {
        return Poll.until(Duration.ofSeconds(90), "GET /v1/nodes showing " + what, () -> {
            GatewayHarness.Reply r = h.get("/v1/nodes");
            return r.status() == 200 && holds.test(r.json()) ? r.json() : null;
        });
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        SharedKafka.deleteQuietly(stateDir);
        Poll.until(Duration.ofSeconds(90), "the harness node folding all its tasks " + nodeTasks + " again",
                () -> node.state() == KafkaStreams.State.RUNNING && activeTasks(node).containsAll(nodeTasks));
    }

    private static Set<TaskId> activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream()).map(TaskMetadata::taskId).collect(Collectors.toSet());
    }
}
