package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OffsetResetState;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an executor keeps in memory of offset resets is bounded by what is pending, cluster by cluster. */
class OffsetResetLedgerTest {

    private final OffsetResetLedger ledger = new OffsetResetLedger();

    @Test
    void onlyResetsStillPendingAreKeptAndAForgottenClusterKeepsNothing() {
        ledger.recorded("pay", "r1", OffsetResetState.PLANNED);
        ledger.commitFailed("pay", "r1");
        ledger.commitFailed("pay", "r2");
        ledger.recorded("ship", "s1", OffsetResetState.PLANNED);
        assertThat(ledger.commitFailed("pay", "r1")).as("in a row").isEqualTo(2);

        ledger.retain("pay", Set.of("r2")); // r1 settled, or was withdrawn by another executor's outcome
        assertThat(ledger.recorded("pay", "r1")).isNull();
        assertThat(ledger.failedCommits("pay", "r1")).isZero();
        assertThat(ledger.failedCommits("pay", "r2")).isEqualTo(1);
        assertThat(ledger.commands("pay")).isEqualTo(1);

        ledger.recorded("pay", "r2", OffsetResetState.REFUSED);
        assertThat(ledger.failedCommits("pay", "r2")).as("an outcome ends the count").isZero();
        ledger.retain("pay", Set.of());
        assertThat(ledger.commands("pay")).isZero();

        ledger.forget("ship");
        assertThat(ledger.recorded("ship", "s1")).isNull();
        assertThat(ledger.commands("ship")).isZero();
    }
}
