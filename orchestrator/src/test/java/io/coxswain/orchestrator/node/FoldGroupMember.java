package io.coxswain.orchestrator.node;

import io.coxswain.orchestrator.topology.CoxswainTopology;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;

/**
 * A real member of a node's fold group, running the fold with Kafka Streams under a client id of the test's choosing:
 * with {@code -commands-vN} in it, a node announcing commands schema vN, as an older Coxswain's does during a rolling
 * upgrade (the gateway's {@code NodesBehindApiTest}, {@link CommandClientNodesBehindTest}). Leaving, it leaves the group
 * at once, and closing returns once the node folds every partition again: a command sent next is decided as promptly as
 * before it joined.
 */
public final class FoldGroupMember implements AutoCloseable {

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

    public static FoldGroupMember join(CoxswainNode node, String clientId) throws Exception {
        Set<TaskId> nodeTasks = activeTasks(node.streams());
        NodeConfig own = node.config();
        Path stateDir = Files.createTempDirectory("coxswain-fold-member");
        NodeConfig nc = own.withStateDir(stateDir); // the node's own settings, a state directory of its own
        Properties props = CoxswainNode.streamsProps(nc);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        KafkaStreams streams = new KafkaStreams(CoxswainTopology.build(own.topics(), node.codecs()), props);
        streams.start();
        FoldGroupMember member = new FoldGroupMember(streams, stateDir, node.streams(), nodeTasks);
        try {
            NodeFixture.await(Duration.ofSeconds(90), clientId + " RUNNING in the fold's group", () -> streams.state() == KafkaStreams.State.RUNNING);
        } catch (AssertionError e) {
            member.close();
            throw e;
        }
        return member;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        SharedKafka.deleteQuietly(stateDir);
        NodeFixture.await(Duration.ofSeconds(90), "the node folding all its tasks " + nodeTasks + " again",
                () -> node.state() == KafkaStreams.State.RUNNING && activeTasks(node).containsAll(nodeTasks));
    }

    private static Set<TaskId> activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream()).map(TaskMetadata::taskId).collect(Collectors.toSet());
    }
}
