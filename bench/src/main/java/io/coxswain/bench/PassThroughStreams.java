package io.coxswain.bench;

import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The framework's own ceiling, as an anchor for the fold: a Kafka Streams topology with the node's
 * exact settings (exactly-once v2, threads, commit interval, producer) that copies each command
 * record to one output topic, doing nothing else: no decoding, no stores. What separates the fold
 * from this is Coxswain's own work; what separates this from a raw consume is the price of
 * exactly-once processing.
 */
final class PassThroughStreams {

    private PassThroughStreams() {
    }

    /** @return records per second from the first committed offset to the last */
    static double run(String bootstrap, NodeConfig node, String input, long end) throws Exception {
        String output = input + ".passthrough";
        String app = node.applicationId() + "-passthrough";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(output, node.partitions(), node.replicationFactor()))).all().get();
            Topology topology = new Topology();
            topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
            topology.addSink("out", output, new ByteArraySerializer(), new ByteArraySerializer(), "in");
            try (KafkaStreams streams = new KafkaStreams(topology, CoxswainNode.streamsProps(node.withApplicationId(app)))) {
                streams.start();
                return FoldProgress.await(admin, app, input, end, () -> streams.state().isRunningOrRebalancing());
            }
        }
    }
}
