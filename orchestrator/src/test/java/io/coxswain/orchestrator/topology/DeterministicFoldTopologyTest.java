package io.coxswain.orchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.commands.Commands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fold reads no clock and no random source: the same log gives the same state bytes. */
class DeterministicFoldTopologyTest {

    @Test
    void sameLogSameBytes() {
        List<Command> log = new ArrayList<>();
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        for (int i = 0; i < 20; i++) {
            String cluster = "c" + (i % 4);
            Map<String, String> config = new HashMap<>();
            for (int k = 0; k < 10; k++) {
                config.put("key" + ((k * 7 + i) % 10) + ".x", "v" + i);
            }
            log.add(Commands.on(cluster).commandId("create-" + i).issuedAt(t).createCluster("4.1.0", 3, 3, "1Gi"));
            log.add(Commands.on(cluster).commandId("cfg-" + i).issuedAt(t.plusSeconds(i)).updateBrokerConfig(config, List.of()));
            log.add(Commands.on(cluster).commandId("topic-" + i).issuedAt(t.plusSeconds(i)).createTopic("t" + i, 3, 2, config));
            log.add(Commands.on(cluster).commandId("obs-" + i).issuedAt(t.plusSeconds(i))
                    .observation("e1", new ComponentObserved("brokers", 3, i % 4, List.of("4.1.0"), null)));
        }
        assertThat(run(log)).isEqualTo(run(log));
    }

    private static List<String> run(List<Command> log) {
        try (TopologyHarness h = new TopologyHarness()) {
            log.forEach(c -> h.pipeRaw(c.getClusterId(), h.codecs.commands().encode(c), new org.apache.kafka.common.header.internals.RecordHeaders()));
            List<String> out = new ArrayList<>();
            h.states.readValuesToList().forEach(v -> out.add(java.util.HexFormat.of().formatHex(v)));
            h.events.readValuesToList().forEach(v -> out.add(java.util.HexFormat.of().formatHex(v)));
            return out;
        }
    }
}
