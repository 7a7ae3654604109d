package io.coxswain.orchestrator.executor;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;

/** Where a cluster's records land on the command and state topics, for tests that need a cluster on a given executor. */
public final class StatePartitions {

    private StatePartitions() {
    }

    /** A cluster id {@code <prefix>-<n>} whose records land on one of {@code partitions} of {@code count} (Kafka's default partitioner). */
    public static String clusterOn(Set<Integer> partitions, int count, String prefix) {
        return IntStream.range(0, 1000).mapToObj(i -> prefix + "-" + i)
                .filter(id -> partitions.contains(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % count))
                .findFirst().orElseThrow();
    }
}
