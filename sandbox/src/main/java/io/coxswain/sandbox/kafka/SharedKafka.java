package io.coxswain.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded broker per JVM for tests: starting KRaft costs seconds, so test classes share it
 * and keep apart by using their own topic prefix and application id.
 */
public final class SharedKafka {

    private static EmbeddedKafka kafka;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            try {
                Path dir = Files.createTempDirectory("coxswain-test-kafka");
                kafka = EmbeddedKafka.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    kafka.close();
                    deleteQuietly(dir);
                }, "shared-kafka-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kafka.bootstrapServers();
    }

    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp files
        }
    }
}
