package io.coxswain.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap after a full GC, and the resident set size from /proc. */
final class MemoryProbe {

    record Sample(double heapMiB, double rssMiB) {
    }

    private MemoryProbe() {
    }

    /** CPU time this whole process has used (every thread: the embedded broker's too). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static Sample sample() {
        System.gc();
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
        double rss = Double.NaN;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: RSS unknown
        }
        return new Sample(heap, rss);
    }
}
