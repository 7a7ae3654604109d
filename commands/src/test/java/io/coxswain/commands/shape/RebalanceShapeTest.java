package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.commands.Commands;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RebalanceCluster: a reason for the audit trail, a throttle a rebalance can finish under, or the installation's. */
class RebalanceShapeTest {

    private static List<String> violations(Object payload) {
        Command c = Commands.on("payments").issuer("alice").deleteTopic("x");
        c.setPayload(payload);
        return CommandShape.check(c).stream().map(Violation::toString).toList();
    }

    @Test
    void aRebalanceWithOrWithoutReasonAndThrottlePassesAndTheBuilderMakesIt() {
        assertThat(violations(new RebalanceCluster(null, null))).isEmpty();
        assertThat(violations(new RebalanceCluster("broker 2 replaced", 1024L * 1024))).isEmpty();
        assertThat(violations(new RebalanceCluster("hot broker", 10L * 1024 * 1024 * 1024))).isEmpty();
        Command c = Commands.on("payments").issuer("alice").expectedVersion(7).rebalanceCluster("topics created unevenly", 100L * 1024 * 1024);
        assertThat(c.getPayload()).isEqualTo(new RebalanceCluster("topics created unevenly", 100L * 1024 * 1024));
        assertThat(Commands.typeOf(c)).isEqualTo("RebalanceCluster");
    }

    @Test
    void aThrottleOutsideItsBoundsNamesTheFieldAndTheBounds() {
        for (long bad : new long[] {0, -1, 1024L * 1024 - 1, 10L * 1024 * 1024 * 1024 + 1}) {
            assertThat(violations(new RebalanceCluster(null, bad))).as("%d", bad).containsExactly(
                    "payload.throttleBytesPerSecond: must be between 1048576 (1 MiB/s) and 10737418240 (10 GiB/s) bytes per second per"
                            + " broker, or left out for the installation's default, got " + bad);
        }
        assertThatThrownBy(() -> Commands.on("payments").issuer("alice").rebalanceCluster("x".repeat(501), null))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("payload.reason");
    }
}
