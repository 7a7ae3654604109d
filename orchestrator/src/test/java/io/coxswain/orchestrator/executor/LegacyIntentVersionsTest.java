package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.LegacyIntentVersions;
import io.coxswain.orchestrator.executor.observe.LegacyIntentVersions.Replayed;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * When the executor records a replayed intentVersion: only for a state folded before intent versions, only from a
 * replay that read at least as far as the state has come (an older node may fold a change after the replay during a
 * rolling upgrade, and leave it without an intentVersion). The replay here is a stand-in for the log's; the replay
 * itself runs on real Kafka in ExecLegacyStateIntegrationTest.
 */
class LegacyIntentVersionsTest {

    private final RecordingSink sink = new RecordingSink();
    private final StatusReporter status = new StatusReporter(new ComponentObserver(null), sink, Duration.ofSeconds(10));
    private final AtomicInteger replays = new AtomicInteger();
    private final AtomicInteger passesAsked = new AtomicInteger();

    private LegacyIntentVersions replaying(Supplier<Map<String, Replayed>> replay) {
        return new LegacyIntentVersions(() -> {
            replays.incrementAndGet();
            return replay.get();
        }, status, passesAsked::incrementAndGet);
    }

    private static ClusterState legacy(long version) {
        return ClusterState.newBuilder(TestStates.created("legacy", 1, 1)).setVersion(version).setIntentVersion(0).build();
    }

    private void awaitReplays(int n) {
        ExecutorWorld.await(Duration.ofSeconds(30), n + " replay(s) done", () -> passesAsked.get() >= n);
    }

    @Test
    void aStateThatHasItsIntentVersionNeverCausesAReplay() {
        LegacyIntentVersions legacy = replaying(() -> Map.of("legacy", new Replayed(3, 5)));
        legacy.backfill(TestStates.created("legacy", 1, 1));
        assertThat(replays).hasValue(0);
        assertThat(sink.all()).isEmpty();
    }

    @Test
    void aStateTheReplayReadPastIsBackfilledOnceTheReplayIsDone() {
        LegacyIntentVersions legacy = replaying(() -> Map.of("legacy", new Replayed(3, 5)));
        legacy.backfill(legacy(5)); // starts the replay, on its own thread: nothing yet
        awaitReplays(1);
        legacy.backfill(legacy(5));
        assertThat(sink.of(IntentVersionReplayed.class)).singleElement().satisfies(r -> assertThat(r.getIntentVersion()).isEqualTo(3));
        assertThat(replays).hasValue(1);
    }

    @Test
    void aStatePastTheReplayWaitsForAReplayThatReadAsFar() {
        AtomicInteger call = new AtomicInteger();
        // the first replay read to version 5; then an older node folded a change at 7 and left it no intentVersion
        LegacyIntentVersions legacy = replaying(() -> call.incrementAndGet() == 1
                ? Map.of("legacy", new Replayed(2, 5)) : Map.of("legacy", new Replayed(7, 7)));
        legacy.backfill(legacy(7));
        awaitReplays(1);
        legacy.backfill(legacy(7));
        assertThat(sink.all()).as("the replay's 2 is older than the state").isEmpty();
        // asked again no sooner than ten times the first replay's duration, at least 5 s
        ExecutorWorld.await(Duration.ofSeconds(30), "a second replay", () -> {
            legacy.backfill(legacy(7));
            return passesAsked.get() >= 2;
        });
        legacy.backfill(legacy(7));
        assertThat(sink.of(IntentVersionReplayed.class)).singleElement().satisfies(r -> assertThat(r.getIntentVersion()).isEqualTo(7));
        assertThat(replays).hasValue(2);
    }
}
