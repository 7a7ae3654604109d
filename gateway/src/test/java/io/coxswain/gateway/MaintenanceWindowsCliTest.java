package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code cox maintenance-windows} and what {@code cox get} shows of them, end to end (run through CoxCliHarness). */
class MaintenanceWindowsCliTest extends CoxCliHarness {

    @Test
    void windowsAreSetShownAndClearedOnlyOnPurposeThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "nightly", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("get", "nightly").out()).contains("maintenance windows (UTC): any time");

        // the windows forgotten: refused before anything is sent, rather than read as "any time"
        Run forgotten = cox("maintenance-windows", "nightly");
        assertThat(forgotten.code()).isEqualTo(2);
        assertThat(forgotten.err()).contains("give the windows", "--any-time");

        Run dry = cox("maintenance-windows", "nightly", "Tue,Thu 02:00-05:00", "Fri 22:00-02:00", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("SetMaintenanceWindows on nightly: would be accepted as version 2",
                "spec.maintenanceWindows[0]: null -> \"Tue,Thu 02:00-05:00\"", "spec.maintenanceWindows[1]: null -> \"Fri 22:00-02:00\"");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "nightly", "-o", "json").out()).at("/spec/maintenanceWindows"))
                .as("a dry run writes nothing").isEmpty();

        Run set = cox("maintenance-windows", "nightly", "Tue,Thu 02:00-05:00", "Fri 22:00-02:00", "--expected-version", "1");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("SetMaintenanceWindows on nightly: accepted, version 2");
        assertThat(cox("get", "nightly").out()).contains("maintenance windows (UTC): Tue,Thu 02:00-05:00; Fri 22:00-02:00");
        Run again = cox("maintenance-windows", "nightly", "Tue,Thu 02:00-05:00", "Fri 22:00-02:00");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("rejected (NO_CHANGE)");

        // the second window typed unquoted, and one in words: each refused naming the element, nothing written
        Run unquoted = cox("maintenance-windows", "nightly", "daily 01:00-02:00", "Sat", "03:00-04:00");
        assertThat(unquoted.code()).isEqualTo(2);
        assertThat(unquoted.err()).contains("[payload.windows[1]]", "'DAYS HH:MM-HH:MM' in UTC", "got 'Sat'")
                .doesNotContain("payload.windows[0]");
        Run words = cox("maintenance-windows", "nightly", "Tuesday 2am-5am");
        assertThat(words.code()).isEqualTo(2);
        assertThat(words.err()).contains("[payload.windows[0]]", "got 'Tuesday 2am-5am'");

        // an upgrade asked outside the windows: the executor holds it back and says until when
        Run upgrade = cox("upgrade", "nightly", "--kafka-version", "4.2.0");
        assertThat(upgrade.code()).as(upgrade.err()).isZero();
        Matcher id = Pattern.compile("\\(command (\\S+)\\)").matcher(upgrade.out());
        assertThat(id.find()).as(upgrade.out()).isTrue();
        h.observe("nightly", "{\"type\":\"OperationDeferred\",\"operation\":\"RollingUpgrade\",\"causeCommandId\":\"" + id.group(1) + "\","
                + "\"until\":\"2026-12-08T02:00:00Z\"}");
        assertThat(cox("get", "nightly").out())
                .contains("RollingUpgrade (command " + id.group(1) + ") waits for the maintenance window opening at 2026-12-08T02:00:00Z");

        Run both = cox("maintenance-windows", "nightly", "daily 01:00-02:00", "--any-time");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        Run cleared = cox("maintenance-windows", "nightly", "--any-time");
        assertThat(cleared.code()).as(cleared.err()).isZero();
        assertThat(cox("get", "nightly").out()).contains("maintenance windows (UTC): any time")
                .as("shown until it starts, which with no windows is the executor's next pass").doesNotContain("waits for the maintenance window")
                .contains("RollingUpgrade (command " + id.group(1) + ") was held back for a maintenance window; the windows are lifted, so it"
                        + " starts at the executor's next pass");

        assertThat(cox("history", "nightly").out().lines().filter(l -> l.contains("SetMaintenanceWindows")).count())
                .as("only the set, the NO_CHANGE and the clearing reached the log").isEqualTo(3);
        assertThat(cox("maintenance-windows", "--help").out()).contains("'DAYS HH:MM-HH:MM' in UTC", "quoted as one argument",
                "Fri 22:00-02:00", "one already running is not stopped", "--any-time", "forgetting the windows clears nothing",
                "--expected-version", "--dry-run");
    }

    @Test
    void coxWaitIsNotDoneWhileAnActedOnChangeWaitsForItsWindow() {
        assertThat(cox("create-cluster", "held", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
        for (String role : new String[] {"controllers", "brokers"}) {
            h.observe("held", "{\"type\":\"ComponentObserved\",\"component\":\"" + role + "\",\"desired\":1,\"ready\":1,\"versions\":[\"4.1.0\"]}");
        }
        assertThat(cox("maintenance-windows", "held", "Sun 02:00-03:00").code()).isZero();
        Run config = cox("config", "set", "held", "log.roll.hours=100");
        assertThat(config.code()).as(config.err()).isZero();
        long intent = cox("get", "held", "-o", "json").json().path("intentVersion").asLong();
        // what an executor records when a change needs a roll outside the windows: acted on (the roll held back), still Ready
        h.observe("held", "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + intent + "}");
        h.observe("held", "{\"type\":\"OperationDeferred\",\"operation\":\"Reconfigure\",\"until\":\"2026-12-13T02:00:00Z\"}");
        assertThat(cox("get", "held").out()).contains("Acted on: every change asked for");

        Run held = cox("wait", "held", "--timeout", "1s");
        assertThat(held.code()).as("Ready and acted on, but the roll has not run: " + held.out() + held.err()).isEqualTo(7);
        assertThat(held.out()).contains("held: Ready, Reconfigure waits for the maintenance window opening at 2026-12-13T02:00:00Z");
        h.observe("held", "{\"type\":\"OperationDeferred\",\"operation\":\"Reconfigure\"}"); // no longer called for
        Run done = cox("wait", "held", "--timeout", "1s");
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        assertThat(done.out()).contains("held: Ready, every change up to version " + intent + " acted on");
    }

    @Test
    void coxWaitLooksPastAnOperationThatEndedBeforeTheChangeButNotPastAFailedCluster() {
        for (String cluster : new String[] {"past", "broken"}) {
            assertThat(cox("create-cluster", cluster, "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
            for (String role : new String[] {"controllers", "brokers"}) {
                h.observe(cluster, "{\"type\":\"ComponentObserved\",\"component\":\"" + role + "\",\"desired\":1,\"ready\":1,\"versions\":[\"4.1.0\"]}");
            }
        }
        // last week's restart, abandoned: history, not a reason to give up on today's change
        h.observe("past", "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-0\",\"operation\":\"RollingRestart\",\"state\":\"RUNNING\"}");
        h.observe("past", "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-0\",\"operation\":\"RollingRestart\",\"state\":\"ABANDONED\"}");
        assertThat(cox("config", "set", "past", "log.retention.hours=48").code()).isZero();
        long intent = cox("get", "past", "-o", "json").json().path("intentVersion").asLong();
        h.observe("past", "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + intent + "}");
        Run done = cox("wait", "past", "--timeout", "1s");
        assertThat(done.code()).as(done.out() + done.err()).isZero();

        // a cluster whose roll FAILED, a change acted on since, still Failed: waiting would not help
        h.observe("broken", "{\"type\":\"OperationObserved\",\"operationId\":\"Reconfigure/c-0\",\"operation\":\"Reconfigure\",\"state\":\"RUNNING\"}");
        h.observe("broken", "{\"type\":\"OperationObserved\",\"operationId\":\"Reconfigure/c-0\",\"operation\":\"Reconfigure\",\"state\":\"FAILED\","
                + "\"reason\":\"broker 0 not Ready after 5 min\"}");
        long brokenIntent = cox("get", "broken", "-o", "json").json().path("intentVersion").asLong();
        h.observe("broken", "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + brokenIntent + "}");
        Run failed = cox("wait", "broken", "--timeout", "1m");
        assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(1);
        assertThat(failed.err()).contains("broken's operation Reconfigure/c-0 is FAILED: broker 0 not Ready after 5 min",
                "cox operation retry broken Reconfigure/c-0");
    }
}
