package io.coxswain.orchestrator.operations.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.Decision.Verdict;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControllerQuorumCaughtUpTest {

    private static final Duration T = Duration.ofSeconds(1);

    private static FakeKafka quorum() {
        return FakeKafka.cluster().brokers(1, 2, 3).controllers(1000, 1001, 1002).leaderController(1000);
    }

    @Test
    void caughtUpQuorumAllowsAnyController() {
        FakeAdmin admin = quorum().build();
        for (int c : new int[] {1000, 1001, 1002}) {
            assertThat(ControllerQuorumCaughtUp.of(c).check(admin, T).verdict()).isEqualTo(Verdict.GO);
        }
    }

    @Test
    void aLaggingFollowerBlocksRestartingTheOtherFollower() {
        FakeAdmin admin = quorum().quorumLag(1001, 500).build();
        Decision d = ControllerQuorumCaughtUp.of(1002).maxLag(100).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(d.reason()).contains("only 1 other voter(s) of 3 are caught up, a majority needs 2",
                "controller 1001 lags 500 records behind leader 1000 (bound 100)");
    }

    @Test
    void theLaggingFollowerItselfMayRestart() {
        FakeAdmin admin = quorum().quorumLag(1001, 500).build();
        assertThat(ControllerQuorumCaughtUp.of(1001).maxLag(100).check(admin, T).allowed()).isTrue();
    }

    @Test
    void lagWithinTheBoundCountsAsCaughtUp() {
        FakeAdmin admin = quorum().quorumLag(1001, 100).build();
        assertThat(ControllerQuorumCaughtUp.of(1002).maxLag(100).check(admin, T).allowed()).isTrue();
    }

    @Test
    void aSoleControllerMayRestartAndTheVerdictSaysMetadataPauses() {
        FakeAdmin admin = FakeKafka.cluster().brokers(1, 2, 3).controllers(1000).leaderController(1000).build();
        Decision d = ControllerQuorumCaughtUp.of(1000).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.GO);
        assertThat(d.reason()).contains("a quorum of 1 voter(s) cannot keep a majority", "metadata changes pause");
    }

    @Test
    void ofTwoVotersOneMayRestartOnlyWhenTheOtherIsCaughtUp() {
        FakeKafka two = FakeKafka.cluster().controllers(1000, 1001).leaderController(1000);
        assertThat(ControllerQuorumCaughtUp.of(1000).check(two.build(), T).verdict()).isEqualTo(Verdict.GO);
        Decision lagging = ControllerQuorumCaughtUp.of(1000).maxLag(10).check(two.quorumLag(1001, 500).build(), T);
        assertThat(lagging.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(lagging.reason()).contains("controller 1001 lags 500 records");
    }

    @Test
    void unknownLeaderBlocks() {
        FakeAdmin admin = quorum().leaderController(-1).build();
        Decision d = ControllerQuorumCaughtUp.of(1001).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(d.reason()).contains("no leader");
    }

    @Test
    void fiveVotersToleratesOneLaggingFollower() {
        FakeAdmin admin = FakeKafka.cluster().controllers(1, 2, 3, 4, 5).leaderController(1).quorumLag(5, 10_000).build();
        assertThat(ControllerQuorumCaughtUp.of(4).maxLag(10).check(admin, T).allowed()).isTrue();
        admin.kafka().quorumLag(3, 10_000);
        assertThat(ControllerQuorumCaughtUp.of(4).maxLag(10).check(admin, T).allowed()).isFalse();
    }

    @Test
    void aNonVoterMayRestart() {
        FakeAdmin admin = quorum().build();
        assertThat(ControllerQuorumCaughtUp.of(42).check(admin, T).reason()).contains("not a voter");
    }
}
