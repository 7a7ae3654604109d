package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters this executor owns, and their latest state, from the compacted state topic read in
 * a consumer group: the group hands each partition, and so each cluster, to one executor. On
 * assignment a partition is read from the start; its clusters are handed out only once it has
 * caught up with the end, so a restarted executor never acts on a stale state. On revocation the
 * partition's clusters are withdrawn, and {@code revoked} waits for work on them to stop, before
 * the group may give the partition to another executor.
 */
final class StateFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateFeed.class);

    private final ExecutorConfig config;
    private final AvroWireCodec<ClusterState> codec;
    private final Consumer<ClusterState> onState;
    private final Consumer<String> onReady;
    private final Consumer<Collection<String>> onRevoked;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Map<String, ClusterState>> partitions = new ConcurrentHashMap<>();
    private final Set<TopicPartition> caughtUp = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> endAtAssignment = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param onState   every state read, caught up or not (to follow the cluster's history)
     * @param onReady   a cluster whose state is current and owned here, to reconcile
     * @param onRevoked clusters no longer owned here; returns once no work on them is running
     */
    StateFeed(ExecutorConfig config, AvroWireCodec<ClusterState> codec, Consumer<ClusterState> onState,
              Consumer<String> onReady, Consumer<Collection<String>> onRevoked) {
        this.config = config;
        this.codec = codec;
        this.onState = onState;
        this.onReady = onReady;
        this.onRevoked = onRevoked;
        Map<String, Object> p = new HashMap<>(config.clientOverrides());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "coxswain-executor-" + config.observerId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // always re-read the compacted topic: no offsets to keep
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the state is written in Streams transactions
        // cooperative: a rebalance revokes only the partitions that move, the others keep being reconciled
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "coxswain-executor-state-" + config.observerId());
        thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(config.topics().state()), new Rebalance());
        thread.start();
    }

    /** The cluster's latest state, if its partition is owned here and caught up. */
    Optional<ClusterState> owned(String clusterId) {
        for (TopicPartition tp : caughtUp) {
            Map<String, ClusterState> states = partitions.get(tp);
            ClusterState s = states == null ? null : states.get(clusterId);
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    boolean owns(String clusterId) {
        return owned(clusterId).isPresent();
    }

    /** Partitions of the state topic owned here and caught up. */
    Set<Integer> ownedPartitions() {
        Set<Integer> owned = new java.util.TreeSet<>();
        caughtUp.forEach(tp -> owned.add(tp.partition()));
        return owned;
    }

    /** Every cluster owned here with a current state. */
    List<String> ownedClusters() {
        List<String> ids = new ArrayList<>();
        caughtUp.forEach(tp -> ids.addAll(partitions.getOrDefault(tp, Map.of()).keySet()));
        return ids;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
                markCaughtUp();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("executor {}: reading {} failed; this executor stops acting", config.observerId(), config.topics().state(), e);
            withdraw(new ArrayList<>(partitions.keySet()));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Map<String, ClusterState> states = partitions.get(tp);
        if (states == null || r.key() == null) {
            return;
        }
        if (r.value() == null) {
            states.remove(r.key());
            return;
        }
        try {
            ClusterState state = codec.decode(r.headers(), r.value());
            states.put(r.key(), state);
            onState.accept(state);
            if (caughtUp.contains(tp)) {
                onReady.accept(r.key());
            }
        } catch (UndecodableRecordException e) {
            log.warn("executor {}: skipping undecodable state of cluster {} at {} offset {}: {}", config.observerId(), r.key(), tp, r.offset(), e.getMessage());
        }
    }

    private void markCaughtUp() {
        for (TopicPartition tp : partitions.keySet()) {
            if (!caughtUp.contains(tp) && consumer.position(tp) >= endAtAssignment.getOrDefault(tp, 0L)) {
                caughtUp.add(tp);
                log.info("executor {}: owns {} with {} clusters", config.observerId(), tp, partitions.get(tp).size());
                partitions.get(tp).keySet().forEach(onReady);
            }
        }
    }

    private void withdraw(Collection<TopicPartition> lost) {
        List<String> clusters = new ArrayList<>();
        for (TopicPartition tp : lost) {
            caughtUp.remove(tp);
            Map<String, ClusterState> states = partitions.remove(tp);
            if (states != null) {
                clusters.addAll(states.keySet());
            }
            endAtAssignment.remove(tp);
        }
        if (!clusters.isEmpty()) {
            log.info("executor {}: hands over {} (clusters {})", config.observerId(), lost, clusters);
        }
        onRevoked.accept(clusters);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            assigned.forEach(tp -> partitions.put(tp, new ConcurrentHashMap<>()));
            consumer.seekToBeginning(assigned);
            endAtAssignment.putAll(consumer.endOffsets(assigned));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            withdraw(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            withdraw(lost);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withdraw(new ArrayList<>(partitions.keySet()));
        consumer.close(Duration.ofSeconds(10)); // leaves the group: the partitions move at once
    }
}
