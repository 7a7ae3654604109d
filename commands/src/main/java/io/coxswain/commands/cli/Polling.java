package io.coxswain.commands.cli;

import java.time.Duration;

/**
 * The looks of a wait that polls the gateway ({@code cox wait}, a fleet run's waves, {@code cox offsets reset --wait}), as a
 * person would re-run {@code cox get}: the first soon after the change ({@link #FIRST}), each pause twice the last up to
 * {@link #MOST}, so a short wait is not mostly sleep and a long one does not load the gateway; never a pause past the
 * deadline, so the last look is at it.
 */
final class Polling {

    static final Duration FIRST = Duration.ofMillis(200);
    /**
     * A person waiting for a roll or a fleet's next wave sees it done within a second of the gateway showing it (2 s
     * pauses kept each wave waiting a second longer on average); a look a second is nothing to the gateway.
     */
    static final Duration MOST = Duration.ofSeconds(1);

    private final long deadline;
    private long pause = FIRST.toNanos();

    /** A wait of at most {@code limit} from now. */
    Polling(Duration limit) {
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** Whether the deadline has passed: the look just made was the last. */
    boolean overdue() {
        return System.nanoTime() > deadline;
    }

    /** Sleeps until the next look. */
    void pause() throws InterruptedException {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(next(deadline - System.nanoTime()));
    }

    /** The next pause, with {@code leftNanos} to the deadline: the planned one, or what is left if less (a look at the deadline). */
    long next(long leftNanos) {
        long now = Math.max(0, Math.min(pause, leftNanos + 1));
        pause = Math.min(MOST.toNanos(), pause * 2);
        return now;
    }
}
