package io.coxswain.orchestrator.operations.checks;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.Decision.Verdict;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CanRollBrokerTest {

    private static final Duration T = Duration.ofSeconds(1);

    private static FakeKafka threeBrokers() {
        return FakeKafka.cluster().brokers(1, 2, 3).controllers(1000, 1001, 1002);
    }

    @Test
    void healthyRf3MinIsr2MayRollAnyBroker() {
        FakeAdmin admin = threeBrokers().topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3))
                .partition(1, replicas(2, 3, 1), isr(2, 3, 1)).minIsr(2)).build();
        for (int b = 1; b <= 3; b++) {
            Decision d = CanRollBroker.of(b).check(admin, T);
            assertThat(d.verdict()).as(d.toString()).isEqualTo(Verdict.GO);
        }
    }

    @Test
    void isrEqualToMinBlocksEveryBrokerInTheIsrAndNamesThePartition() {
        // replicas 1,2,3 but only 1,2 in sync: it is under-replicated because of broker 3
        FakeAdmin admin = threeBrokers().topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2)).minIsr(2)).build();
        Decision d = CanRollBroker.of(1).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(d.reason()).contains("orders-0", "ISR [1, 2]", "min.insync.replicas=2", "brokers [3] out of sync");
    }

    @Test
    void isrEqualToMinOnAnRf2TopicBlocksBecauseTheIsrWouldFallBelowMin() {
        FakeAdmin admin = threeBrokers().topic("pay", t -> t.partition(0, replicas(1, 2), isr(1, 2)).minIsr(2)).build();
        Decision d = CanRollBroker.of(2).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(d.reason()).contains("pay-0", "without broker 2 the ISR would have 1 replica(s), below min.insync.replicas=2");
        assertThat(CanRollBroker.of(3).check(admin, T).allowed()).as("broker 3 hosts nothing").isTrue();
    }

    @Test
    void isrBelowMinBlocks() {
        FakeAdmin admin = threeBrokers().topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1)).minIsr(2)).build();
        assertThat(CanRollBroker.of(1).check(admin, T).verdict()).isEqualTo(Verdict.BLOCKED);
        // broker 2 is out of sync already, but broker 3 is too: restarting 2 is not the only thing wrong
        assertThat(CanRollBroker.of(2).check(admin, T).verdict()).isEqualTo(Verdict.BLOCKED);
    }

    @Test
    void aBrokerThatIsTheOnlyOneOutOfSyncMayRollItCannotShrinkTheIsr() {
        FakeAdmin admin = threeBrokers().topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2)).minIsr(2)).build();
        Decision d = CanRollBroker.of(3).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.GO);
        assertThat(d.reason()).contains("broker 3 is out of sync already");
    }

    @Test
    void minIsrOneAllowsRollingWithTwoInSync() {
        FakeAdmin admin = threeBrokers().topic("logs", t -> t.partition(0, replicas(1, 2), isr(1, 2)).minIsr(1)).build();
        assertThat(CanRollBroker.of(1).check(admin, T).allowed()).isTrue();
    }

    @Test
    void rf1TopicNeedsConsentAndSaysWhatGoesOffline() {
        FakeAdmin admin = threeBrokers().topic("scratch", t -> t.partition(0, replicas(2), isr(2))).build();
        Decision d = CanRollBroker.of(2).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.NEEDS_CONSENT);
        assertThat(d.reason()).contains("scratch-0", "only replica on broker 2", "unavailable for reads and writes");
        Decision consented = CanRollBroker.of(2).withOutageConsent(true).check(admin, T);
        assertThat(consented.verdict()).isEqualTo(Verdict.GO);
        assertThat(consented.reason()).contains("consented outage of 1 partition(s)", "scratch-0");
    }

    @Test
    void consentDoesNotOverrideAMinIsrViolation() {
        FakeAdmin admin = threeBrokers()
                .topic("scratch", t -> t.partition(0, replicas(1), isr(1)))
                .topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2)).minIsr(2)).build();
        assertThat(CanRollBroker.of(1).withOutageConsent(true).check(admin, T).verdict()).isEqualTo(Verdict.BLOCKED);
    }

    @Test
    void offlinePartitionElsewhereBlocks() {
        FakeAdmin admin = threeBrokers()
                .topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3)).minIsr(2))
                .topic("lost", t -> t.partition(0, replicas(3), isr())).build();
        Decision d = CanRollBroker.of(1).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(d.reason()).contains("lost-0", "leader none", "is offline");
    }

    @Test
    void offlinePartitionOnTheBrokerItselfNeedsConsentRestartingMayBringItBack() {
        FakeAdmin admin = threeBrokers().topic("lost", t -> t.partition(0, replicas(3), isr())).build();
        Decision d = CanRollBroker.of(3).check(admin, T);
        assertThat(d.verdict()).isEqualTo(Verdict.NEEDS_CONSENT);
        assertThat(d.reason()).contains("lost-0", "offline already");
    }

    @Test
    void internalTopicsCountToo() {
        FakeAdmin admin = threeBrokers().topic("__consumer_offsets", t -> t.partition(7, replicas(1, 2, 3), isr(1, 3)).minIsr(2)).build();
        assertThat(CanRollBroker.of(1).check(admin, T).reason()).contains("__consumer_offsets-7");
    }

    @Test
    void aBrokerGoingDownMidCheckIsSeenOnTheNextCheck() {
        FakeAdmin admin = threeBrokers().topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3)).minIsr(2)).build();
        assertThat(CanRollBroker.of(1).check(admin, T).allowed()).isTrue();
        admin.kafka().setIsr("orders", 0, isr(1, 3));
        assertThat(CanRollBroker.of(1).check(admin, T).allowed()).isFalse();
    }
}
