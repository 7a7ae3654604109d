package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping a cluster's nodes together, as the sandbox kubelet does at its shutdown: the broker goes first, while its
 * controller can still answer its controlled shutdown. Stopped beside the controller, it would wait out its whole grace.
 */
class KafkaNodesShutdownTest {

    private static final Duration GRACE = Duration.ofSeconds(60);

    @Test
    void aBrokerStoppedWithItsControllerGoesFirstAndNeedsNoneOfItsGrace() throws Exception {
        Path root = Files.createTempDirectory("kafka-pods-shutdown");
        KafkaNodes nodes = KafkaNodes.inProcess();
        try {
            LocalCluster cluster = new LocalCluster(nodes, "kafka", "stopping", 1, root, Map.of());
            cluster.startAll(1, Duration.ofSeconds(90));
            // the controller listed first: the order asked for is not the order kept
            List<PodKey> both = List.of(cluster.controllerKey(0), cluster.brokerKey(0));

            long start = System.nanoTime();
            nodes.stopBrokersFirst(both, GRACE).toCompletableFuture().get(2 * GRACE.toSeconds(), TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(nodes.pods()).isEmpty();
            assertThat(took).as("a controlled shutdown answered at once, not the %s grace waited out", GRACE)
                    .isLessThan(GRACE.dividedBy(2));
        } finally {
            nodes.close();
            SharedKafka.deleteQuietly(root);
        }
    }
}
