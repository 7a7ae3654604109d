package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters this executor owns, and their latest state, from the compacted state topic read in
 * a consumer group: the group hands each partition, and so each cluster, to one executor. On
 * assignment a partition is read from the start; its clusters are handed out only once it has
 * caught up with the end, so a restarted executor never acts on a stale state. On revocation the
 * partition's clusters are withdrawn, and {@code revoked} waits for work on them to stop, before
 * the group may give the partition to another executor.
 *
 * <p>A cluster whose latest state a newer state schema wrote, holding what this executor's lacks, is owned but held
 * ({@link #held}): it has no state to act on ({@link #owned} is empty, so a pass still running stops at its next action)
 * until a state this executor can read arrives.
 */
final class StateFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateFeed.class);

    private final ExecutorConfig config;
    private final StateDecodes decodes;
    private final Consumer<ClusterState> onState;
    private final Consumer<String> onReady;
    private final Consumer<Collection<String>> onRevoked;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CaughtUpStates<ReadState> partitions = new CaughtUpStates<>();
    private final MirrorTargets mirrors = new MirrorTargets();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param onState   every state read, caught up or not (to follow the cluster's history)
     * @param onReady   a cluster whose state is current and owned here, to reconcile (or, {@link #held}, to report held)
     * @param onRevoked clusters no longer owned here; returns once no work on them is running
     */
    StateFeed(ExecutorConfig config, StateDecodes decodes, Consumer<ClusterState> onState,
              Consumer<String> onReady, Consumer<Collection<String>> onRevoked) {
        this.config = config;
        this.decodes = decodes;
        this.onState = onState;
        this.onReady = onReady;
        this.onRevoked = onRevoked;
        Map<String, Object> group = new HashMap<>();
        group.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // cooperative: a rebalance revokes only the partitions that move, the others keep being reconciled
        group.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        group.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.clientOverrides().getOrDefault(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                (int) config.sessionTimeout().toMillis()));
        this.consumer = StateRecords.consumer(config, "coxswain-executor-" + config.observerId(), group);
        this.thread = new Thread(this::run, "coxswain-executor-state-" + config.observerId());
        thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(config.topics().state()), new Rebalance());
        thread.start();
    }

    /** The cluster's latest state, if its partition is owned here and caught up, and this executor can read it. */
    Optional<ClusterState> owned(String clusterId) {
        return partitions.state(clusterId).map(ReadState::state);
    }

    /** What a newer state schema wrote of the cluster that this executor cannot read, if that is its latest state and owned here. */
    Optional<NewerState> held(String clusterId) {
        return partitions.state(clusterId).map(ReadState::newer);
    }

    boolean owns(String clusterId) {
        return owned(clusterId).isPresent();
    }

    /** Partitions of the state topic owned here and caught up. */
    Set<Integer> ownedPartitions() {
        return partitions.caughtUpPartitions();
    }

    /** Every cluster owned here with a current state, {@link #held} ones among them. */
    List<String> ownedClusters() {
        return partitions.clusters();
    }

    /** The clusters owned here whose current state has a mirror from {@code source}: as many steps as there are such. */
    List<String> mirrorsOf(String source) {
        return mirrors.of(source).stream().filter(this::owns).toList();
    }

    private void run() {
        try {
            StateRecords.read(consumer, () -> running, this::accept, this::markCaughtUp);
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("executor {}: reading {} failed; this executor stops acting", config.observerId(), config.topics().state(), e);
            withdraw(partitions.open());
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Map<String, ReadState> states = partitions.of(tp);
        if (states == null || r.key() == null) {
            return;
        }
        if (r.value() == null) {
            states.remove(r.key());
            mirrors.forget(List.of(r.key()));
            return;
        }
        decodes.decode(r).ifPresent(read -> {
            states.put(r.key(), read);
            if (read.state() != null) {
                mirrors.update(r.key(), read.state());
                onState.accept(read.state());
            } else {
                mirrors.forget(List.of(r.key())); // held: no mirror of it is to be looked at
            }
            if (partitions.caughtUp(tp)) {
                onReady.accept(r.key());
            }
        });
    }

    private void markCaughtUp() {
        for (TopicPartition tp : partitions.catchUp(consumer)) {
            log.info("executor {}: owns {} with {} clusters", config.observerId(), tp, partitions.of(tp).size());
            partitions.of(tp).keySet().forEach(onReady);
        }
    }

    private void withdraw(Collection<TopicPartition> lost) {
        List<String> clusters = partitions.close(lost);
        mirrors.forget(clusters);
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
            consumer.seekToBeginning(assigned);
            partitions.open(consumer.endOffsets(assigned));
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
        StateRecords.stop(consumer, thread);
        withdraw(partitions.open());
        consumer.close(Duration.ofSeconds(10)); // leaves the group: the partitions move at once
    }
}
