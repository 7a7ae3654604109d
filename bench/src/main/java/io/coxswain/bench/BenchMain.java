package io.coxswain.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks and prints one table: metric, Coxswain's figure, the anchor's figure measured
 * in the same run, the ratio, and the machine's cores. Results also go to bench/results/ as JSON.
 * {@code --quick} shrinks every workload so the whole run stays within a few minutes on 2 cores.
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        // the gateway jar on the classpath carries its own logback.xml; the bench logs less
        System.setProperty("logback.configurationFile", "logback-bench.xml");
        boolean quick = List.of(args).contains("--quick");
        int only = List.of(args).indexOf("--only");
        // fold | latency | queries | reconcile, or several joined by commas (fold,queries)
        List<String> selected = only >= 0 && only + 1 < args.length ? List.of(args[only + 1].split(",")) : List.of("all");
        Path results = Path.of(System.getProperty("bench.results", "bench/results"));
        int commands = quick ? 100_000 : 1_000_000;
        int clusters = 1_000;
        Path work = Files.createTempDirectory("coxswain-bench");
        List<Result> table = new ArrayList<>();
        int rateAt = List.of(args).indexOf("--rate");
        int rate = rateAt >= 0 && rateAt + 1 < args.length ? Integer.parseInt(args[rateAt + 1]) : 1_000; // offered load of the latency runs
        int secondsAt = List.of(args).indexOf("--seconds");
        int seconds = secondsAt >= 0 && secondsAt + 1 < args.length ? Integer.parseInt(args[secondsAt + 1]) : quick ? 5 : 30;
        int reconcileClusters = quick ? 200 : 1_000;
        // -Dbench.broker.KEY=VALUE tries a setting of the embedded broker without a rebuild
        Map<String, String> brokerOverrides = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.broker."))
                .forEach(k -> brokerOverrides.put(k.substring("bench.broker.".length()), System.getProperty(k)));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, brokerOverrides)) {
            MemoryProbe.Sample baseline = MemoryProbe.sample();
            String bootstrap = kafka.bootstrapServers();
            boolean folded = selected.contains("all") || selected.contains("fold");
            if (folded) {
                table.addAll(FoldThroughputBench.run(bootstrap, work.resolve("fold-state"), commands, clusters));
                table.addAll(ReplayBench.run(bootstrap, FoldThroughputBench.TOPICS, FoldThroughputBench.WARM_UP_TOPICS, commands));
                table.addAll(SignedReplayBench.run(bootstrap, commands / 10, clusters));
            }
            int warmUpAt = List.of(args).indexOf("--warm-up");
            int warmUp = warmUpAt >= 0 && warmUpAt + 1 < args.length ? Integer.parseInt(args[warmUpAt + 1])
                    : folded ? LatencyBench.WARM_UP_SECONDS_AFTER_FOLD : LatencyBench.WARM_UP_SECONDS_COLD;
            int warmUpMax = quick ? LatencyBench.WARM_UP_SECONDS_MAX_QUICK : LatencyBench.WARM_UP_SECONDS_MAX;
            if (selected.contains("all") || selected.contains("latency")) {
                table.addAll(LatencyBench.run(bootstrap, work.resolve("lat-state"), rate, seconds, warmUp, warmUpMax, true));
            } else if (selected.contains("queries")) {
                table.addAll(LatencyBench.run(bootstrap, work.resolve("lat-state"), rate, seconds, warmUp, warmUpMax, false));
            }
            if (selected.contains("all") || selected.contains("reconcile")) {
                table.addAll(ReconcileBench.run(bootstrap, work.resolve("rec-state"), reconcileClusters, quick ? 6 : 20));
            }
            MemoryProbe.Sample after = MemoryProbe.sample();
            table.add(new Result("heap after the " + reconcileClusters + "-cluster run", after.heapMiB(), baseline.heapMiB(), "MiB",
                    "heap at start (broker only)", false, "-"));
            table.add(new Result("resident size after the " + reconcileClusters + "-cluster run", after.rssMiB(), baseline.rssMiB(), "MiB",
                    "RSS at start (broker only)", false, "-"));
        } finally {
            SharedKafka.deleteQuietly(work);
        }
        // a run of some stages (--only) is kept under its own name: latest-*.json, which README's table is made
        // from, is only ever a complete run's
        String mode = (quick ? "quick" : "full") + (selected.contains("all") ? "" : "-only-" + String.join("-", selected));
        print(table, mode);
        write(results, table, mode, selected.contains("all"));
    }

    private static void print(List<Result> table, String mode) {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%nCoxswain benchmarks (%s run, %d cores, %s)%n", mode, cores, Instant.now());
        System.out.printf("%-62s %16s %16s %-20s %7s %8s%n", "metric", "coxswain", "anchor", "anchor is", "ratio", "goal");
        for (Result r : table) {
            System.out.printf("%-62s %16s %16s %-20s %7.2f %8s%n", r.metric(), fmt(r.coxswain(), r.unit()), fmt(r.anchor(), r.unit()),
                    r.anchorName(), r.ratio(), r.goal());
        }
    }

    private static String fmt(double v, String unit) {
        return String.format(v >= 100 ? "%,.0f %s" : "%.2f %s", v, unit);
    }

    private static void write(Path dir, List<Result> table, String mode, boolean complete) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("when", Instant.now().toString());
        doc.put("mode", mode);
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : table) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", r.metric());
            row.put("coxswain", r.coxswain());
            row.put("anchor", r.anchor());
            row.put("anchorName", r.anchorName());
            row.put("unit", r.unit());
            row.put("ratio", r.ratio());
            row.put("goal", r.goal());
            rows.add(row);
        }
        doc.put("results", rows);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(dir.resolve(mode + "-" + Instant.now().toString().replace(':', '-') + ".json").toFile(), doc);
        if (complete) {
            json.writeValue(dir.resolve("latest-" + mode + ".json").toFile(), doc);
        }
    }
}
