package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;

/**
 * Replay: the time to decode and fold the whole command topic with the replay engine that
 * {@code bin/coxswain replay} runs, beside a plain consumer reading the same topic (measured just
 * before, in the same run). JVM start-up of the CLI is not included.
 */
final class ReplayBench {

    private ReplayBench() {
    }

    static Result run(String bootstrap, Topics topics, long commands) {
        long rawNanos = KafkaProbe.rawConsume(bootstrap, topics.commands(), commands);
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            long start = System.nanoTime();
            ReplayResult result = replayer.replay(ReplayOptions.all());
            long elapsed = System.nanoTime() - start;
            if (result.states().isEmpty()) {
                throw new IllegalStateException("replay produced no state; the benchmark topic is empty");
            }
            return new Result("replay of " + commands + " commands (decode + fold)", elapsed / 1e9, rawNanos / 1e9, "s",
                    "raw consume", false, ">= 0.50");
        }
    }
}
