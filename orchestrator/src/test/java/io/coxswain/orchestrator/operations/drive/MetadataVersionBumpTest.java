package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetadataVersionBumpTest {

    private final RunningOperation op = RunningOperation.start("pay", RunningOperation.ROLLING_UPGRADE, "upgrade-1");

    @Test
    void raisesTheLevelToTheHighestTheNodesSupportAndRecordsIt() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0).feature(MetadataVersionBump.FEATURE, 25, 27);
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            MetadataVersionBump.run(w.context(TestStates.created("pay", 1, 1), op, Duration.ofMinutes(1)));

            assertThat(kafka.finalizedLevel(MetadataVersionBump.FEATURE)).isEqualTo((short) 27);
            assertThat(w.sink.of(OperationStepObserved.class)).extracting(OperationStepObserved::getState)
                    .containsExactly(StepState.STARTED, StepState.FINISHED);
            assertThat(w.sink.of(OperationStepObserved.class).get(1).getReason()).contains("from level 25 to 27");
        }
    }

    @Test
    void atTheHighestLevelAlreadyItOnlyRecordsThatThereIsNothingToDo() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0).feature(MetadataVersionBump.FEATURE, 27, 27);
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            MetadataVersionBump.run(w.context(TestStates.created("pay", 1, 1), op, Duration.ofMinutes(1)));

            assertThat(kafka.featureUpdates()).isEmpty();
            assertThat(w.sink.of(OperationStepObserved.class)).singleElement()
                    .satisfies(s -> assertThat(s.getReason()).contains("already at level 27"));
        }
    }
}
