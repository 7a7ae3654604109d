package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import io.coxswain.orchestrator.fold.Evolve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FOLD of ExecutorRefusalsObserved through the real topology: each report is the whole set of what the executor refuses for
 * the cluster (status.executorRefusals), replacing the one before; a key keeps when it was first blocked; an empty report and
 * the cluster's removal clear it; and the same log folds to the same state again.
 */
class ExecutorRefusalRulesTopologyTest {

    private static final String NAMESPACE = "its namespace coxswain is the namespace Coxswain runs in; run the executors with another"
            + " --namespace-template, or delete the cluster (cox delete payments)";
    private static final String REFUSED = "Kafka refused SET message.max.bytes=-5 on the cluster default: InvalidRequestException: ...";

    private final TopologyHarness h = new TopologyHarness();
    /** Every command sent, each accepted: the log a replay folds again. */
    private final List<Command> log = new ArrayList<>();

    @BeforeEach
    void createPayments() {
        send(h.on("payments").createCluster("4.1.0", 3, 3, "10Gi"));
    }

    private void send(Command c) {
        acceptedVersion(h.send(c));
        log.add(c);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void reported(Map<String, ExecutorRefusalObserved> refusals) {
        send(h.on("payments").observation("exec", new ExecutorRefusalsObserved(refusals)));
    }

    private Map<String, ExecutorRefusalStatus> blocked() {
        return h.state("payments").getStatus().getExecutorRefusals();
    }

    @Test
    void eachReportReplacesTheSetKeepingWhenAKeyWasFirstBlockedAndAnEmptyOneClearsIt() {
        long intent = h.state("payments").getIntentVersion();
        String phase = h.state("payments").getStatus().getPhase();
        reported(Map.of("namespace", new ExecutorRefusalObserved(NAMESPACE, "c-1")));
        ExecutorRefusalStatus first = blocked().get("namespace");
        assertThat(blocked()).containsOnlyKeys("namespace");
        assertThat(first.getReason()).isEqualTo(NAMESPACE);
        assertThat(first.getCommandId()).isEqualTo("c-1");
        assertThat(first.getSince()).isEqualTo(first.getUpdatedAt());
        assertThat(h.state("payments").getIntentVersion()).as("a report is no change asked for").isEqualTo(intent);
        assertThat(h.state("payments").getStatus().getPhase()).as("reported beside the phase, not in it").isEqualTo(phase);

        reported(Map.of("namespace", new ExecutorRefusalObserved(NAMESPACE + " (again)", "c-2"),
                "brokerConfig/cluster-default", new ExecutorRefusalObserved(REFUSED, "c-2")));
        assertThat(blocked()).containsOnlyKeys("namespace", "brokerConfig/cluster-default");
        assertThat(blocked().get("namespace").getSince()).as("blocked since the first report").isEqualTo(first.getSince());
        assertThat(blocked().get("namespace").getReason()).endsWith("(again)");
        assertThat(blocked().get("brokerConfig/cluster-default").getSince()).isAfter(first.getSince());

        reported(Map.of("brokerConfig/cluster-default", new ExecutorRefusalObserved(REFUSED, "c-2")));
        assertThat(blocked()).as("the set replaces the one before: the namespace is no longer refused").containsOnlyKeys("brokerConfig/cluster-default");

        reported(Map.of());
        assertThat(blocked()).as("nothing blocked any more").isEmpty();
    }

    @Test
    void aRemovedClusterHasNothingBlockedAndTheLogFoldsToTheSameStateAgain() {
        reported(Map.of("namespace", new ExecutorRefusalObserved(NAMESPACE, null)));
        send(h.on("payments").deleteCluster(false));
        assertThat(blocked()).as("still blocked while its deletion waits").containsOnlyKeys("namespace");
        send(h.on("payments").observation("exec", new ClusterRemovedObserved(false)));
        assertThat(blocked()).isEmpty();

        ClusterState replayed = null;
        for (Command c : log) {
            replayed = Evolve.apply(replayed, c);
        }
        assertThat(replayed).isEqualTo(h.state("payments"));
    }
}
