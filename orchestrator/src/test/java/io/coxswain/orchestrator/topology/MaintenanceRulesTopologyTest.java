package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.DeferredOperation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of maintenance windows and of what the executor defers to them, through the real topology. */
class MaintenanceRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void windowsAreKeptAsWrittenAndWhatWaitsForThemIsShownUntilItStarts() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        assertThat(h.state("pay").getSpec().getMaintenanceWindows()).as("any time, by default").isEmpty();
        acceptedVersion(h.send(h.on("pay").setMaintenanceWindows(List.of("Tue,Thu 02:00-05:00", "Sat 22:00-04:00"))));
        assertThat(h.state("pay").getSpec().getMaintenanceWindows()).containsExactly("Tue,Thu 02:00-05:00", "Sat 22:00-04:00");
        CommandRejected same = rejected(h.send(h.on("pay").setMaintenanceWindows(List.of("Tue,Thu 02:00-05:00", "Sat 22:00-04:00"))));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).isEqualTo("cluster 'pay' already has maintenance windows Tue,Thu 02:00-05:00, Sat 22:00-04:00");

        Command upgrade = h.on("pay").commandId("up").upgradeKafka("4.2.0");
        acceptedVersion(h.send(upgrade));
        Instant until = Instant.parse("2026-12-08T02:00:00Z");
        Command deferred = h.on("pay").observation("exec", new OperationDeferred("RollingUpgrade", "up", until));
        acceptedVersion(h.send(deferred));
        assertThat(h.state("pay").getStatus().getDeferred()).isEqualTo(new DeferredOperation("RollingUpgrade", "up", until, deferred.getIssuedAt()));
        assertThat(h.state("pay").getStatus().getPhase()).as("nothing runs yet").isEqualTo("Pending");

        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("RollingUpgrade/up", "RollingUpgrade", OperationState.RUNNING, "up", null))));
        assertThat(h.state("pay").getStatus().getDeferred()).as("started: it waits no more").isNull();

        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationDeferred("Rebalance", "rb", until))));
        acceptedVersion(h.send(h.on("pay").setMaintenanceWindows(List.of())));
        assertThat(h.state("pay").getStatus().getDeferred().getCauseCommandId())
                .as("new windows: shown until the executor starts it, which then names the command that called for it").isEqualTo("rb");
        assertThat(rejected(h.send(h.on("pay").setMaintenanceWindows(List.of()))).getReason())
                .isEqualTo("cluster 'pay' already has no maintenance windows");
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationDeferred("Rebalance", "rb", null))));
        assertThat(h.state("pay").getStatus().getDeferred()).as("the world no longer calls for it").isNull();
    }

    @Test
    void aWindowNotInTheFormIsInvalidNamingItsPlace() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        Command raw = h.on("pay").resume();
        raw.setPayload(new SetMaintenanceWindows(List.of("daily 01:00-02:00", "weekends 01:00-02:00")));
        CommandRejected bad = rejected(h.send(raw));
        assertThat(bad.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(bad.getReason()).contains("payload.windows[1]: must be 'DAYS HH:MM-HH:MM' in UTC", "got 'weekends 01:00-02:00'");
        assertThat(h.state("pay").getSpec().getMaintenanceWindows()).isEmpty();
    }
}
