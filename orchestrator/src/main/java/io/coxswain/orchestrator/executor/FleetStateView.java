package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * with the end it had when the view started, so a stale state is never taken for the current one; a cluster deleted
 * (a tombstone, or its {@link Phases#DELETED} state) is dropped. {@code onChange} is told each cluster whose answer
 * changed: all of a partition's when it catches up, then each one a record brings, adds or drops.
 */
final class FleetStateView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetStateView.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(1);

    private final ExecutorConfig config;
    private final AvroWireCodec<ClusterState> codec;
    private final Consumer<String> onChange;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CaughtUpStates partitions = new CaughtUpStates();
    private final Thread thread;
    private volatile boolean running = true;

    FleetStateView(ExecutorConfig config, AvroWireCodec<ClusterState> codec, Consumer<String> onChange) {
        this.config = config;
        this.codec = codec;
        this.onChange = onChange;
        this.consumer = StateRecords.consumer(config, "coxswain-fleet-view-" + config.observerId(), Map.of());
        this.thread = new Thread(this::run, "coxswain-executor-fleet-" + config.observerId());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The cluster's latest state, once its partition is read up to where it ended when the view started; empty if deleted. */
    Optional<ClusterState> state(String clusterId) {
        return partitions.state(clusterId);
    }

    private void run() {
        try {
            List<TopicPartition> all = partitionsOfTheStateTopic();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            partitions.open(consumer.endOffsets(all));
            StateRecords.read(consumer, () -> running, this::accept, this::markCaughtUp);
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // known no more: a mirror from here on waits as for a source not read yet, rather than act on a frozen state
            log.error("executor {}: reading every cluster's state from {} failed; mirrors of this executor run nothing new until"
                    + " it restarts", config.observerId(), config.topics().state(), e);
            partitions.close(partitions.open());
        }
    }

    /** Every partition of the state topic; waits for the topic while it does not exist (the node makes it at its start). */
    private List<TopicPartition> partitionsOfTheStateTopic() throws InterruptedException {
        String topic = config.topics().state();
        while (running) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!all.isEmpty()) {
                return all;
            }
            log.info("executor {}: state topic {} not there yet; asked again in {} ms", config.observerId(), topic, TOPIC_RETRY.toMillis());
            Thread.sleep(TOPIC_RETRY.toMillis());
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
            Optional<ClusterState> state = StateRecords.decode(codec, r, config.observerId());
            if (state.isEmpty()) {
                return;
            }
            if (Phases.DELETED.equals(state.get().getStatus().getPhase())) {
                changed = states.remove(r.key()) != null; // gone: nothing of it is left to read
            } else {
                states.put(r.key(), state.get());
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
    }

    @Override
    public void close() {
        running = false;
        StateRecords.stop(consumer, thread);
        consumer.close(Duration.ofSeconds(10));
    }
}
