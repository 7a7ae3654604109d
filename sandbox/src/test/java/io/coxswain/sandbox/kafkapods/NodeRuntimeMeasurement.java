package io.coxswain.sandbox.kafkapods;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * In-process nodes against child JVMs, for the choice KafkaNodes makes: time until a 3-controller
 * / 3-broker cluster is ready, and the memory it takes. Not part of the suite (it starts two
 * clusters); run with {@code -Dcoxswain.measure=true -Dtest=NodeRuntimeMeasurement}.
 */
@EnabledIfSystemProperty(named = "coxswain.measure", matches = "true")
class NodeRuntimeMeasurement {

    @Test
    void measure() throws Exception {
        // in-process first, in a JVM that has not loaded Kafka's server classes yet: a fair start
        long rssBefore = rssKb(ProcessHandle.current().pid());
        long heapBefore = heapUsedAfterGc();
        Path dir = Files.createTempDirectory("measure-in");
        long t0 = System.nanoTime();
        KafkaNodes inProcess = KafkaNodes.inProcess();
        new LocalCluster(inProcess, "m", "inproc", 3, dir, Map.of()).startAll(3, Duration.ofMinutes(3));
        long inProcessMs = (System.nanoTime() - t0) / 1_000_000;
        long heapDelta = heapUsedAfterGc() - heapBefore;
        long rssDelta = rssKb(ProcessHandle.current().pid()) - rssBefore;
        int threads = Thread.activeCount();
        inProcess.close();
        SharedKafka.deleteQuietly(dir);

        Path dir2 = Files.createTempDirectory("measure-child");
        long t1 = System.nanoTime();
        KafkaNodes children = KafkaNodes.childJvms(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        new LocalCluster(children, "m", "child", 3, dir2, Map.of()).startAll(3, Duration.ofMinutes(3));
        long childMs = (System.nanoTime() - t1) / 1_000_000;
        long childRss = ProcessHandle.current().descendants().mapToLong(p -> rssKb(p.pid())).sum();
        long childCount = ProcessHandle.current().descendants().count();
        children.close();
        SharedKafka.deleteQuietly(dir2);

        System.out.printf("MEASURE in-process: 3+3 nodes ready in %d ms, heap +%d MiB after GC, RSS +%d MiB, %d threads%n",
                inProcessMs, heapDelta / (1024 * 1024), rssDelta / 1024, threads);
        System.out.printf("MEASURE child JVMs (-Xmx256m, SerialGC): %d processes ready in %d ms, RSS %d MiB in total%n",
                childCount, childMs, childRss / 1024);
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // process gone or no /proc: count nothing
        }
        return 0;
    }
}
