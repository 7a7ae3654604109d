package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetClusterLabels;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of a cluster's labels through the real topology: given at creation, replaced as a
 * whole, NO_CHANGE when the same, refused naming the label when malformed; nothing else in the state moves.
 */
class LabelRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void labelsGivenAtCreationAreReplacedAsAWholeAndTheSameOnesAreNoChange() {
        acceptedVersion(h.send(h.on("payments").createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setLabels(Map.of("team", "payments", "env", "prod")).build())));
        assertThat(h.state("payments").getSpec().getLabels()).containsOnly(Map.entry("env", "prod"), Map.entry("team", "payments"));
        var specBefore = h.state("payments").getSpec();

        acceptedVersion(h.send(h.on("payments").setClusterLabels(Map.of("team", "ledger", "tier", "gold"))));
        assertThat(h.state("payments").getSpec().getLabels()).as("replaced as a whole: env is gone")
                .containsOnly(Map.entry("team", "ledger"), Map.entry("tier", "gold"));
        var specAfter = h.state("payments").getSpec();
        specAfter.setLabels(specBefore.getLabels());
        assertThat(specAfter).as("nothing but the labels changed").isEqualTo(specBefore);
        assertThat(h.state("payments").getStatus().getOperation()).as("no operation").isNull();

        CommandRejected same = rejected(h.send(h.on("payments").setClusterLabels(Map.of("tier", "gold", "team", "ledger"))));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).contains("already has the labels team=ledger, tier=gold");
        acceptedVersion(h.send(h.on("payments").setClusterLabels(Map.of())));
        assertThat(h.state("payments").getSpec().getLabels()).isEmpty();
        assertThat(rejected(h.send(h.on("payments").setClusterLabels(Map.of()))).getReason()).contains("already has no labels");
    }

    @Test
    void aMalformedLabelIsRefusedNamingIt() {
        acceptedVersion(h.send(h.on("payments").createCluster("4.1.0", 3, 3, "10Gi")));
        Command raw = h.on("payments").resume();
        raw.setPayload(new SetClusterLabels(Map.of("Team Name", "payments"))); // straight to the topic, past any client's check
        CommandRejected bad = rejected(h.send(raw));
        assertThat(bad.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(bad.getReason()).contains("payload.labels.Team Name", "key must be");
        assertThat(h.state("payments").getSpec().getLabels()).isEmpty();
        assertThat(h.state("payments").getVersion()).as("nothing folded").isEqualTo(1);
    }
}
