package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The decoding of one executor's state records, shared by its two readers of the state topic ({@link StateFeed} for the
 * partitions it owns, {@link FleetStateView} for all of them): a record of an owned partition reaches both, within
 * milliseconds of each other once they are caught up, and is decoded by the first only. A record is named by its partition
 * and offset, which on a compacted topic name one record for good. What the first reader decoded is kept until the other
 * takes it, or until {@link #KEPT} later first decodes push it out (a record of a partition only the fleet view reads is never
 * taken; one reader far behind the other decodes for itself, as without sharing). The states are shared as they are:
 * nothing in the executor changes a state it is given.
 */
final class StateDecodes {

    /** Decodes the readers may be apart by and still share one: far more than a poll brings once they are caught up. */
    static final int KEPT = 1024;

    private record At(TopicPartition partition, long offset) {
    }

    private final Function<ConsumerRecord<String, byte[]>, Optional<ReadState>> decoder;
    private final Map<At, Optional<ReadState>> decoded = new ConcurrentHashMap<>();
    /** The last {@link #KEPT} first decodes, oldest first, and how many (a concurrent queue's size() walks it). */
    private final Queue<At> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    StateDecodes(AvroWireCodec<ClusterState> codec, String observerId) {
        this(r -> StateRecords.decode(codec, r, observerId));
    }

    /** @param decoder of a non-tombstone record, as {@link StateRecords#decode} does it: empty, logged, for one that does not decode */
    StateDecodes(Function<ConsumerRecord<String, byte[]>, Optional<ReadState>> decoder) {
        this.decoder = decoder;
    }

    /** What a non-tombstone record holds ({@link StateRecords#decode}), decoded by whichever reader comes first; empty when it does not decode. */
    Optional<ReadState> decode(ConsumerRecord<String, byte[]> r) {
        At at = new At(new TopicPartition(r.topic(), r.partition()), r.offset());
        boolean[] first = {false};
        // computeIfAbsent: a reader that comes while the other decodes waits for that decode rather than making a second
        Optional<ReadState> state = decoded.computeIfAbsent(at, k -> {
            first[0] = true;
            return decoder.apply(r);
        });
        if (first[0]) {
            order.add(at);
            if (queued.incrementAndGet() > KEPT) { // one in, the oldest out: taken or not, its place is freed only here
                At oldest = order.poll();
                if (oldest != null) {
                    queued.decrementAndGet();
                    decoded.remove(oldest);
                }
            }
        } else {
            decoded.remove(at); // taken: the other reader was the last to need it
        }
        return state;
    }
}
