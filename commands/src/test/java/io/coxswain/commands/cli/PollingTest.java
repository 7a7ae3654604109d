package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How often a wait looks at the gateway: soon at first, then less often, never past its deadline. */
class PollingTest {

    private static final long MS = 1_000_000L;

    @Test
    void pausesGrowFromTwoHundredMillisecondsToOneSecondAndNeverPassTheDeadline() {
        Polling polling = new Polling(Duration.ofMinutes(1));
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pauses.add(polling.next(Duration.ofMinutes(1).toNanos()) / MS);
        }
        assertThat(pauses).containsExactly(200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(polling.next(300 * MS)).as("the last pause ends at the deadline").isEqualTo(300 * MS + 1);
        assertThat(polling.next(-5 * MS)).as("past it: no pause").isZero();
    }

    @Test
    void coxWaitLooksOftenInAShortWaitAndStopsAtItsDeadline() throws IOException {
        AtomicInteger looks = new AtomicInteger();
        try (StandInGateway gateway = new StandInGateway(path -> {
            looks.incrementAndGet();
            return "{\"clusterId\": \"payments\", \"version\": 5, \"intentVersion\": 5,"
                    + " \"status\": {\"phase\": \"Upgrading\", \"reconciledIntentVersion\": 4}}";
        })) {
            warmUp(gateway, looks);
            StandInGateway.Run run = gateway.cox("wait", "payments", "--timeout", "5s");
            assertThat(run.code()).as(run.err()).isEqualTo(WaitCommand.NOT_DONE_IN_TIME);
            assertThat(run.err()).contains("payments is not done after 5s");
            // at 0, 0.2, 0.6, 1.4, 2.4, 3.4, 4.4 s and at the deadline (two lost to a slow machine still pass); pauses of 2 s
            // looked at 0, 2, 4 and 6 s, a second past the deadline
            assertThat(looks.get()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void coxWaitSeesAChangeAtTheThirdLookWithinASecondOfPauses() throws IOException {
        AtomicInteger looks = new AtomicInteger();
        try (StandInGateway gateway = new StandInGateway(path -> {
            boolean done = looks.incrementAndGet() >= 3;
            return "{\"clusterId\": \"payments\", \"version\": 5, \"intentVersion\": 5, \"status\": {\"phase\": \""
                    + (done ? "Ready" : "Upgrading") + "\", \"reconciledIntentVersion\": " + (done ? 5 : 4) + "}}";
        })) {
            warmUp(gateway, looks);
            long start = System.nanoTime();
            StandInGateway.Run run = gateway.cox("wait", "payments", "--timeout", "1m");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("payments: Ready, every change up to version 5 acted on");
            assertThat(looks.get()).isEqualTo(3);
            // 0.6 s of pauses; with 2 s pauses it took 4 s
            assertThat(took).isLessThan(Duration.ofMillis(3500));
        }
    }

    /** One cox get first, so the wait measured does not include loading cox's classes; its look is not counted. */
    private static void warmUp(StandInGateway gateway, AtomicInteger looks) {
        assertThat(gateway.cox("get", "payments", "-o", "json").code()).isZero();
        looks.set(0);
    }
}
