package io.coxswain.orchestrator.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes and folds a scan's records on worker threads while the scan goes on reading. Partitions are
 * independent in the live topology (one task, one pair of stores per partition) and in
 * {@link ReplayEngine}, so each partition is folded by one worker, always the same one
 * ({@code partition % workers}), in offset order: every partition's fold is exactly the serial fold.
 * Only the order <em>across</em> partitions differs, and nothing depends on it; that is why a replay
 * with a per-record listener, which promises one thread and a stable order, stays serial.
 *
 * <p>Why: a serial replay is decode + fold on one core; with the records handed over in chunks, a
 * 1M-command replay on 2 cores took 0.87-0.92 s instead of 1.3-1.5 s (bench/). Memory stays bounded:
 * each worker queues at most {@link #QUEUED_CHUNKS} chunks of {@link #CHUNK} records (a few tens of MB),
 * and the scan waits when a queue is full.
 */
final class PartitionedFold {

    static final int CHUNK = 1_000;
    /** 8 starved the workers: the scan waited on a full queue, then the workers on the next fetch (bench/). */
    static final int QUEUED_CHUNKS = 32;
    private static final List<ConsumerRecord<byte[], byte[]>> END = List.of();

    private final Worker[] workers;
    private final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> pending = new HashMap<>();

    private final Supplier<ReplayEngine> engines;

    /**
     * @param workerCount at most this many threads, each started when a partition first needs it (a log
     *                    of 6 partitions on 64 cores starts 6)
     * @param engines     makes one engine per worker; each engine is used by its worker thread only
     */
    PartitionedFold(int workerCount, Supplier<ReplayEngine> engines) {
        this.workers = new Worker[Math.max(1, workerCount)];
        this.engines = engines;
    }

    /**
     * Queues one record; false once a worker has failed, so the scan can stop reading. Workers are asked
     * when a chunk is handed over, not for every record: the scan reads on for at most a chunk per
     * partition after a failure, which {@link #finish} rethrows all the same.
     */
    boolean offer(ConsumerRecord<byte[], byte[]> record) {
        List<ConsumerRecord<byte[], byte[]>> chunk = pending.computeIfAbsent(record.partition(), p -> new ArrayList<>(CHUNK));
        chunk.add(record);
        if (chunk.size() < CHUNK) {
            return true;
        }
        hand(record.partition(), chunk);
        pending.remove(record.partition());
        return failure() == null;
    }

    /**
     * Hands over what is pending, waits for every worker and returns one engine holding all partitions.
     * A worker's failure (a fold that throws, as the live topology would on the same record) is rethrown here.
     */
    ReplayEngine finish() {
        pending.forEach(this::hand);
        pending.clear();
        for (Worker w : started()) {
            w.put(END);
        }
        for (Worker w : started()) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the replay's fold threads", e);
            }
        }
        RuntimeException failed = failure();
        if (failed != null) {
            throw failed;
        }
        ReplayEngine all = null;
        for (Worker w : started()) {
            if (all == null) {
                all = w.engine;
            } else {
                all.absorb(w.engine);
            }
        }
        return all != null ? all : engines.get(); // nothing was read
    }

    private void hand(int partition, List<ConsumerRecord<byte[], byte[]>> chunk) {
        int i = Math.floorMod(partition, workers.length);
        if (workers[i] == null) {
            workers[i] = new Worker(engines.get(), i);
            workers[i].start();
        }
        workers[i].put(chunk);
    }

    private List<Worker> started() {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers) {
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** After the scan itself failed: the workers drop what is queued and end; nothing is returned. */
    void abandon() {
        for (Worker w : started()) {
            w.failure = new IllegalStateException("replay abandoned");
            w.put(END);
        }
    }

    private RuntimeException failure() {
        for (Worker w : workers) {
            if (w != null && w.failure != null) {
                return w.failure;
            }
        }
        return null;
    }

    private static final class Worker extends Thread {
        private final ReplayEngine engine;
        private final BlockingQueue<List<ConsumerRecord<byte[], byte[]>>> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        private volatile RuntimeException failure;

        Worker(ReplayEngine engine, int index) {
            super("coxswain-replay-fold-" + index);
            this.engine = engine;
            setDaemon(true); // a replay abandoned by an exception on the scan thread must not keep the JVM alive
        }

        void put(List<ConsumerRecord<byte[], byte[]>> chunk) {
            try {
                queue.put(chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing records to the replay's fold threads", e);
            }
        }

        @Override
        public void run() {
            try {
                for (List<ConsumerRecord<byte[], byte[]>> chunk = queue.take(); chunk != END; chunk = queue.take()) {
                    if (failure != null) {
                        continue; // keep draining, so the scan never waits on a full queue of a failed worker
                    }
                    try {
                        for (ConsumerRecord<byte[], byte[]> r : chunk) {
                            engine.offer(r.partition(), r.offset(), r.timestamp(), r.key(), r.headers(), r.value());
                        }
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
            } catch (InterruptedException e) {
                failure = new IllegalStateException("a replay fold thread was interrupted", e);
            }
        }
    }
}
