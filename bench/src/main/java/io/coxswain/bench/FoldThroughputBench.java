package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fold throughput: commands per second through decide + fold with exactly-once on the embedded
 * broker, beside the same broker's raw consume rate of the same topic and Kafka's own producer
 * rate into it.
 *
 * <p>The fold is the first workload of the benchmark's JVM, which also hosts the broker: measured
 * cold, the JIT compilers took 0.39 of the 2 cores during the fold (JFR), compiling broker,
 * transaction and Streams code that the anchors measured after it then found compiled. So a
 * smaller log on its own topics goes through the same three steps first (produce, raw consume,
 * fold) and is discarded, as the latency stage discards its warm-up load.
 */
final class FoldThroughputBench {

    private static final Logger log = LoggerFactory.getLogger(FoldThroughputBench.class);

    static final Topics TOPICS = new Topics("bench-fold.");
    static final Topics WARM_UP_TOPICS = new Topics("bench-fold-warm-up.");
    /** The warm-up log is this fraction of the measured one. */
    private static final int WARM_UP_DIVISOR = 5;

    private FoldThroughputBench() {
    }

    /** Tuning experiments without a rebuild: -Dbench.streams.commit.interval.ms=200 and the like. */
    static Map<String, Object> streamsOverrides() {
        Map<String, Object> overrides = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.streams."))
                .forEach(k -> overrides.put(k.substring("bench.streams.".length()), System.getProperty(k)));
        return overrides;
    }

    static List<Result> run(String bootstrap, Path stateDir, int commands, int clusters) throws Exception {
        log.info("fold: warm-up with {} commands on {}*, discarded", commands / WARM_UP_DIVISOR, WARM_UP_TOPICS.prefix());
        measure(bootstrap, stateDir.resolve("warm-up"), WARM_UP_TOPICS, "bench-fold-warm-up", commands / WARM_UP_DIVISOR, clusters);
        Measured m = measure(bootstrap, stateDir.resolve("measured"), TOPICS, "bench-fold", commands, clusters);
        log.info("fold: {} commands/s; now the same records through a pass-through Streams topology", Math.round(m.foldRate()));
        double passRate = PassThroughStreams.run(bootstrap, m.config(), TOPICS.commands(), m.end());
        double rawRate = commands / (m.rawNanos() / 1e9);
        double produceRate = commands / (m.produceNanos() / 1e9);
        return List.of(
                new Result("fold throughput (" + commands + " commands, " + clusters + " clusters, EOS)", m.foldRate(), rawRate,
                        "commands/s", "raw consume", true, ">= 0.50"),
                new Result("fold throughput vs producer", m.foldRate(), produceRate, "commands/s", "producer acks=all", true, "-"),
                new Result("fold throughput vs Streams EOS pass-through", m.foldRate(), passRate, "commands/s", "same settings, copy only", true, "-"),
                // CPU per command holds up on a busy machine where rates do not: it says what a core buys
                new Result("fold CPU per command (whole process: broker + node)", m.foldCpu() / 1e3 / m.end(), m.rawCpu() / 1e3 / commands,
                        "µs CPU", "raw consume CPU per record", false, "-"));
    }

    private record Measured(NodeConfig config, long end, long produceNanos, long rawNanos, long rawCpu, double foldRate, long foldCpu) {
    }

    /** Produces the log, reads it raw, then folds it with a node; the node is stopped before returning. */
    private static Measured measure(String bootstrap, Path stateDir, Topics topics, String applicationId, int commands, int clusters)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<CommandLoad.Encoded> load = CommandLoad.prepare(bootstrap, topics, commands, clusters);
            log.info("fold: producing {} commands across {} clusters", commands, clusters);
            long produceNanos = CommandLoad.produce(bootstrap, topics.commands(), load, log::info);
            load = null; // let the encoded load be collected before the node runs
            long rawCpu = MemoryProbe.processCpuNanos();
            long rawNanos = KafkaProbe.rawConsume(bootstrap, topics.commands(), commands);
            rawCpu = MemoryProbe.processCpuNanos() - rawCpu;
            long end = KafkaProbe.endOffsetSum(admin, topics.commands());

            NodeConfig config = NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId(applicationId).withPartitions(6, (short) 1)
                    .withStreamsOverrides(streamsOverrides());
            long foldCpu = MemoryProbe.processCpuNanos();
            double foldRate;
            try (CoxswainNode node = CoxswainNode.start(config, Duration.ofMinutes(2))) {
                foldRate = FoldProgress.await(admin, applicationId, topics.commands(), end,
                        () -> node.streams().state().isRunningOrRebalancing());
                foldCpu = MemoryProbe.processCpuNanos() - foldCpu;
            }
            return new Measured(config, end, produceNanos, rawNanos, rawCpu, foldRate, foldCpu);
        }
    }
}
