package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest state of every cluster on the state topic, whichever executor owns it: read-only, for what one cluster's
 * operations need of another's (a mirror's source). Every partition is read with {@code assign()}, outside the executors'
 * consumer group and committing nothing, from the start at each start (the topic is compacted: one record per cluster
 * once compacted, one {@link ClusterState} per cluster kept). A cluster is answered for once its partition has caught up
 * with the end it had when the view started, so a stale state is never taken for the current one. A cluster in its
 * {@link Phases#DELETED} phase is kept as a {@link DeletedCluster#marker} only (a mirror from it then says its source was
 * deleted); one whose tombstone is read is dropped, and so is one whose latest state a newer state schema wrote holding
 * what this executor's lacks ({@link NewerState}): a mirror from it waits, as for a source not read yet, until a state this
 * executor can read arrives (its owner holds it meanwhile). {@code onChange} is told each cluster whose answer changed: all of a
 * partition's when it catches up, then each one a record brings, adds or drops.
 *
 * <p>A failure of the reading (Kafka not answering in time at the start, say) forgets every state, so that no mirror acts
 * on a frozen one, and the topic is read again from the start after a backoff of 1 s doubling up to {@link #MAX_BACKOFF}:
 * meanwhile a mirror waits as for a source not read yet, its connectors left as they are.
 */
final class FleetStateView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetStateView.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ExecutorConfig config;
    private final StateDecodes decodes;
    private final Consumer<String> onChange;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CaughtUpStates<ClusterState> partitions = new CaughtUpStates<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Failures in a row, by the reading thread: reset once every partition is caught up again. */
    private int failures;

    FleetStateView(ExecutorConfig config, StateDecodes decodes, Consumer<String> onChange) {
        this.config = config;
        this.decodes = decodes;
        this.onChange = onChange;
        this.consumer = StateRecords.consumer(config, "coxswain-fleet-view-" + config.observerId(), Map.of());
        this.thread = new Thread(this::run, "coxswain-executor-fleet-" + config.observerId());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * The cluster's latest state, once its partition is read up to where it ended when the view started (again, after a
     * failure); a {@link DeletedCluster#marker} for one deleted; empty for one never seen, or removed by its tombstone.
     */
    Optional<ClusterState> state(String clusterId) {
        return partitions.state(clusterId);
    }

    private void run() {
        while (running) {
            try {
                readFromTheStart();
            } catch (WakeupException e) {
                return; // closing
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failures++;
                Duration backoff = backoff(failures);
                // known no more: a mirror from here on waits as for a source not read yet, rather than act on a frozen state
                int forgotten = partitions.close(partitions.open()).size();
                log.error("executor {}: reading every cluster's state from {} failed ({}); its {} cluster state(s) are forgotten, so"
                        + " mirrors from them wait and leave their connectors as they are; reading it again from the start in {} ms"
                        + " (failure {} in a row)", config.observerId(), config.topics().state(), e, forgotten, backoff.toMillis(),
                        failures, e);
                if (pause(backoff)) {
                    return;
                }
            }
        }
    }

    /** 1 s, doubling with each failure in a row, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failuresInARow) {
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failuresInARow - 1, 10)));
    }

    /** Reads the state topic from the start until closed (returns) or failed (throws). */
    private void readFromTheStart() {
        consumer.unsubscribe(); // what a failed read had assigned
        List<TopicPartition> all = partitionsOfTheStateTopic();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        partitions.open(consumer.endOffsets(all));
        StateRecords.read(consumer, () -> running, this::accept, this::markCaughtUp);
    }

    /** @return true when the view is closing meanwhile (or its thread interrupted) */
    private boolean pause(Duration d) {
        try {
            return closing.await(d.toMillis(), TimeUnit.MILLISECONDS) || !running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Every partition of the state topic; waits for the topic while it does not exist (the node makes it at its start). */
    private List<TopicPartition> partitionsOfTheStateTopic() {
        String topic = config.topics().state();
        while (running) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!all.isEmpty()) {
                return all;
            }
            log.info("executor {}: state topic {} not there yet; asked again in {} ms", config.observerId(), topic, TOPIC_RETRY.toMillis());
            if (pause(TOPIC_RETRY)) {
                break;
            }
        }
        return List.of(); // closing
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Map<String, ClusterState> states = partitions.of(tp);
        boolean changed;
        if (r.value() == null) {
            changed = states.remove(r.key()) != null;
        } else {
            Optional<ReadState> read = decodes.decode(r);
            if (read.isEmpty()) {
                return;
            }
            ClusterState state = read.get().state();
            if (state == null) {
                changed = states.remove(r.key()) != null; // not the state before it either: that is not the cluster's any more
            } else {
                // a deleted cluster is kept as that it was only, for a mirror from it to say so
                states.put(r.key(), Phases.DELETED.equals(state.getStatus().getPhase()) ? DeletedCluster.marker(state) : state);
                changed = true;
            }
        }
        if (changed && partitions.caughtUp(tp)) {
            onChange.accept(r.key());
        }
    }

    private void markCaughtUp() {
        for (TopicPartition tp : partitions.catchUp(consumer)) {
            log.debug("executor {}: sees every cluster of {} ({})", config.observerId(), tp, partitions.of(tp).size());
            partitions.of(tp).keySet().forEach(onChange);
        }
        if (failures > 0 && partitions.caughtUpPartitions().size() == partitions.open().size()) {
            log.info("executor {}: reads every cluster's state from {} again, after {} failure(s)", config.observerId(),
                    config.topics().state(), failures);
            failures = 0;
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        StateRecords.stop(consumer, thread);
        consumer.close(Duration.ofSeconds(10));
    }
}
