package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.commands.Commands;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance windows as people write them, always UTC; 2026-12-04 is a Friday. */
class MaintenanceWindowTest {

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void aWindowCoversItsDaysFromItsStartUpToItsEnd() {
        List<String> weekdays = List.of("Mon-Fri 02:00-05:00");
        assertThat(MaintenanceWindow.open(weekdays, at("2026-12-04T02:00:00Z"))).as("Friday at the start").isTrue();
        assertThat(MaintenanceWindow.open(weekdays, at("2026-12-04T04:59:59Z"))).isTrue();
        assertThat(MaintenanceWindow.open(weekdays, at("2026-12-04T05:00:00Z"))).as("the end is not in it").isFalse();
        assertThat(MaintenanceWindow.open(weekdays, at("2026-12-05T03:00:00Z"))).as("Saturday").isFalse();
        assertThat(MaintenanceWindow.nextOpening(weekdays, at("2026-12-04T05:00:00Z"))).as("Friday after it: Monday's")
                .contains(at("2026-12-07T02:00:00Z"));
        assertThat(MaintenanceWindow.open(List.of(), at("2026-12-05T03:00:00Z"))).as("no windows: any time").isTrue();
    }

    @Test
    void aWindowEndingBeforeItStartsRunsPastMidnightAndListsAndWrappingRangesCount() {
        List<String> fridayNight = List.of("Fri 22:00-02:00 UTC");
        assertThat(MaintenanceWindow.open(fridayNight, at("2026-12-04T23:30:00Z"))).isTrue();
        assertThat(MaintenanceWindow.open(fridayNight, at("2026-12-05T01:59:00Z"))).as("Saturday's small hours").isTrue();
        assertThat(MaintenanceWindow.open(fridayNight, at("2026-12-04T01:00:00Z"))).as("Friday's small hours belong to Thursday").isFalse();
        assertThat(MaintenanceWindow.nextOpening(fridayNight, at("2026-12-05T02:00:00Z"))).contains(at("2026-12-11T22:00:00Z"));

        List<String> several = List.of("Sat,Sun 10:00-12:00", "Fri-Mon 00:00-01:00", "daily 13:00-13:30");
        assertThat(MaintenanceWindow.open(several, at("2026-12-06T11:00:00Z"))).as("Sunday").isTrue();
        assertThat(MaintenanceWindow.open(several, at("2026-12-07T00:30:00Z"))).as("Monday, in Fri-Mon").isTrue();
        assertThat(MaintenanceWindow.open(several, at("2026-12-08T00:30:00Z"))).as("Tuesday").isFalse();
        assertThat(MaintenanceWindow.nextOpening(several, at("2026-12-08T00:30:00Z"))).as("daily's").contains(at("2026-12-08T13:00:00Z"));
    }

    @Test
    void anythingElseNamesTheWindowAndTheForm() {
        Command c = Commands.on("payments").issuer("alice").deleteTopic("x");
        c.setPayload(new SetMaintenanceWindows(List.of("Tue 02:00-05:00", "Tuesday 02:00-05:00", "Mon-Fri 2:00-5:00", "Mon 25:00-26:00",
                "Sat 03:00-03:00", "Mon-Fri-Sun 01:00-02:00", "")));
        List<String> v = CommandShape.check(c).stream().map(Violation::toString).toList();
        assertThat(v).hasSize(6).allSatisfy(s -> assertThat(s).contains("must be 'DAYS HH:MM-HH:MM' in UTC"));
        assertThat(v.get(0)).startsWith("payload.windows[1]: ").endsWith("got 'Tuesday 02:00-05:00'");
        c.setPayload(new SetMaintenanceWindows(java.util.Collections.nCopies(21, "daily 01:00-02:00")));
        assertThat(CommandShape.check(c)).extracting(Violation::toString).containsExactly("payload.windows: must be at most 20 windows, got 21");
        assertThat(Commands.on("payments").issuer("alice").setMaintenanceWindows(List.of("sat,SUN 10:00-12:00")).getPayload())
                .as("day names in any case").isEqualTo(new SetMaintenanceWindows(List.of("sat,SUN 10:00-12:00")));
    }
}
