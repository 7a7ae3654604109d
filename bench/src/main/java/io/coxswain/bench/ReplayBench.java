package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.orchestrator.topology.Codecs;
import java.util.List;
import java.util.Map;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;

/**
 * Replay: the time to decode and fold the whole command topic with the replay engine that
 * {@code bin/coxswain replay} runs, beside a plain consumer reading the same topic (measured just
 * before, in the same run), and beside one that also decodes every record (what no replay can
 * avoid). JVM start-up of the CLI is not included.
 */
final class ReplayBench {

    private ReplayBench() {
    }

    static List<Result> run(String bootstrap, Topics topics, long commands) {
        long rawNanos = KafkaProbe.rawConsume(bootstrap, topics.commands(), commands);
        long decodeNanos;
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of())) {
            decodeNanos = KafkaProbe.decodeConsume(bootstrap, topics.commands(), commands, Codecs.of(registry, topics).commands());
        }
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            long start = System.nanoTime();
            ReplayResult result = replayer.replay(ReplayOptions.all());
            long elapsed = System.nanoTime() - start;
            if (result.states().isEmpty()) {
                throw new IllegalStateException("replay produced no state; the benchmark topic is empty");
            }
            String metric = "replay of " + commands + " commands (decode + fold)";
            return List.of(new Result(metric, elapsed / 1e9, rawNanos / 1e9, "s", "raw consume", false, ">= 0.50"),
                    new Result(metric + " vs decode only", elapsed / 1e9, decodeNanos / 1e9, "s", "consume + Avro decode", false, "-"));
        }
    }
}
