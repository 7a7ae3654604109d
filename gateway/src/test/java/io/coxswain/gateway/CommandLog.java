package io.coxswain.gateway;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads an installation's topics from outside any node, as an auditor would: the latest folded
 * state of a cluster (committed transactions only) and the observations in the command log.
 */
final class CommandLog implements AutoCloseable {

    private final Topics topics;
    private final TopicSchemaRegistry registry;
    private final Codecs codecs;
    private final Map<String, ClusterState> states = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread tail;

    CommandLog(Topics topics) {
        this.topics = topics;
        this.registry = new TopicSchemaRegistry(SharedKafka.bootstrapServers(), topics.schemas(), Map.of());
        this.codecs = Codecs.of(registry, topics);
        this.tail = new Thread(this::tailStates, "state-tail");
        tail.start();
    }

    /** Follows the state topic with one consumer: the latest committed state of each cluster. */
    private void tailStates() {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> tps = c.partitionsFor(topics.state()).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        states.put(r.key(), codecs.states().decode(r.headers(), r.value()));
                    }
                }
            }
        }
    }

    Optional<ClusterState> state(String clusterId) {
        return Optional.ofNullable(states.get(clusterId));
    }

    ClusterState awaitState(String clusterId, Duration timeout, String what, Predicate<ClusterState> condition) {
        return Poll.until(timeout, clusterId + " " + what, () -> state(clusterId).filter(condition).orElse(null));
    }

    List<ResourceActionObserved> actions(String clusterId) {
        List<ResourceActionObserved> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : SharedKafka.readAll(topics.commands())) {
            Command c = codecs.commands().decode(r.headers(), r.value());
            if (c.getClusterId().equals(clusterId) && c.getPayload() instanceof RecordObservation o && o.getObservation() instanceof ResourceActionObserved a) {
                out.add(a);
            }
        }
        return out;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        tail.join();
        registry.close();
    }
}
