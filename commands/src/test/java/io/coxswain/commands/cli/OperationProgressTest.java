package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code cox operation show}'s PROGRESS (and cox wait's) says a {@code done/total} counts. */
class OperationProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A ScaleOut as the log folds it: the rebalance's three records (planned, moving, moved), its last count 4 of 4 partitions. */
    private static final String SCALE_OUT = "{\"operationId\":\"ScaleOut/s-1\",\"operation\":\"ScaleOut\",\"state\":\"SUCCEEDED\",\"attempt\":1,"
            + "\"done\":4,\"total\":4,\"causeCommandId\":\"s-1\",\"updatedAt\":\"2026-01-05T10:00:09Z\",\"steps\":["
            + "{\"step\":\"rebalance\",\"state\":\"STARTED\",\"reason\":\"move 4 partition(s); throttled at 52428800 bytes/s per broker\",\"at\":\"2026-01-05T10:00:01Z\"},"
            + "{\"step\":\"rebalance\",\"state\":\"STARTED\",\"reason\":\"2/4 partitions moved\",\"at\":\"2026-01-05T10:00:05Z\"},"
            + "{\"step\":\"rebalance\",\"state\":\"FINISHED\",\"reason\":\"moved 4 partition(s)\",\"at\":\"2026-01-05T10:00:08Z\"}]}";

    @Test
    void aScaleOutCountsPartitionsNotItsStepRecords() throws Exception {
        JsonNode op = JSON.readTree(SCALE_OUT);
        assertThat(OperationProgress.of(op)).isEqualTo("4/4 partitions moved");
        StringWriter out = new StringWriter();
        new OperationCommands.Show().table(new PrintWriter(out), op);
        assertThat(out.toString()).contains("4/4 partitions moved").contains("moved 4 partition(s)");
        assertThat(out.toString().lines().filter(l -> l.contains(" rebalance ")).count()).isEqualTo(3);
    }

    @Test
    void eachOperationSaysItsUnitAndNothingIsCountedBeforeAStepCounts() throws Exception {
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"RollingUpgrade\",\"done\":2,\"total\":6}"))).isEqualTo("2/6 pods up to date");
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"ExpandStorage\",\"done\":1,\"total\":4}"))).isEqualTo("1/4 volumes grown");
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"ScaleIn\",\"done\":0,\"total\":12}"))).isEqualTo("0/12 partitions moved");
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"ReplaceClusterCa\",\"done\":1,\"total\":3,"
                + "\"steps\":[{\"step\":\"trust-new-ca\",\"state\":\"FINISHED\"}]}"))).isEqualTo("1/3 CA stages");
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"ReplaceClusterCa\",\"done\":2,\"total\":4,"
                + "\"steps\":[{\"step\":\"trust-new-ca\",\"state\":\"STARTED\"},{\"step\":\"restart p-broker-1\",\"state\":\"STARTED\"}]}")))
                .isEqualTo("2/4 pods up to date in this roll");
        assertThat(OperationProgress.of(JSON.readTree("{\"operation\":\"ScaleOut\",\"done\":null,\"total\":null}"))).isEqualTo("-");
    }
}
