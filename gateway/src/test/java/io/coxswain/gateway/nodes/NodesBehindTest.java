package io.coxswain.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.nodes.FoldMember;
import io.coxswain.commands.nodes.FoldView;
import io.coxswain.commands.nodes.NodesBehind;
import io.coxswain.commands.nodes.SchemaAnnouncement;
import io.coxswain.gateway.json.JsonCommands;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which fold members a command is refused for, from the versions their client ids announce: the older ones whose released
 * commands schema would not read it whole, named with the field or type they lack; never the current, newer or unknown ones.
 */
class NodesBehindTest {

    private static final int CURRENT = StoredCommands.CURRENT_VERSION;
    private static final String WITH_POLICY = "{\"commandId\":\"c-1\",\"clusterId\":\"ledger\",\"type\":\"CreateCluster\",\"payload\":"
            + "{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},"
            + "\"approvalPolicy\":{\"rules\":[{\"commands\":[\"DeleteTopic\"],\"approvals\":1}]}}}";

    private final AvroWireCodec<Command> codec = codec();

    @Test
    void aFieldAnOlderNodeLacksIsNamedWithOnlyTheNodesThatLackIt() {
        FoldView view = view(member("a", 26), member("b", 26), member("c", 28), member("d", CURRENT), member("e", CURRENT + 1), unknown("f"));

        NodesBehind.Refusal r = NodesBehind.check(command(WITH_POLICY), view, codec, () -> codec.encode(command(WITH_POLICY)), "this gateway").orElseThrow();

        assertThat(r.field()).isEqualTo("payload.approvalPolicy");
        assertThat(r.version()).isEqualTo(26);
        assertThat(r.nodes()).extracting(FoldMember::node).as("commands v27 added the field: the v28 node reads it")
                .containsExactly("a-commands-v26", "b-commands-v26");
        assertThat(r.message()).startsWith("CreateCluster c-1 on cluster 'ledger' was not written: it sets payload.approvalPolicy, a field"
                + " commands schema v26 does not know and would drop, and fold nodes a-commands-v26 on 10.0.0.1 (commands schema v26),"
                + " b-commands-v26 on 10.0.0.1 (commands schema v26) of group 'fold' run an older Coxswain than this gateway (commands"
                + " schema v" + CURRENT + ")").contains("Nothing was written and the command id stays free");
    }

    @Test
    void aCommandEveryOlderNodeReadsWholeAndMembersNotBehindAreNeverRefusedNorEncodedFor() {
        Command plain = command(WITH_POLICY.replace(",\"approvalPolicy\":{\"rules\":[{\"commands\":[\"DeleteTopic\"],\"approvals\":1}]}", ""));
        assertThat(NodesBehind.check(plain, view(member("a", 26), member("c", 28)), codec, () -> codec.encode(plain), "this gateway")).isEmpty();

        AtomicInteger encoded = new AtomicInteger();
        Optional<NodesBehind.Refusal> none = NodesBehind.check(command(WITH_POLICY), view(member("d", CURRENT), member("e", CURRENT + 1),
                unknown("f")), codec, () -> {
                    encoded.incrementAndGet();
                    return codec.encode(command(WITH_POLICY));
                }, "this gateway");
        assertThat(none).as("current, newer and unknown members").isEmpty();
        assertThat(encoded).as("no older member: nothing to check").hasValue(0);
    }

    private static FoldView view(FoldMember... members) {
        return new FoldView("fold", List.of(members), null, Instant.EPOCH);
    }

    private static FoldMember member(String name, int version) {
        String clientId = SchemaAnnouncement.clientId(name, version) + "-StreamThread-1-consumer";
        return new FoldMember(name + "-member", clientId, "10.0.0.1", null, SchemaAnnouncement.version(clientId));
    }

    private static FoldMember unknown(String name) {
        String clientId = name + "-StreamThread-1-consumer";
        return new FoldMember(name + "-member", clientId, "10.0.0.1", null, SchemaAnnouncement.version(clientId));
    }

    private static Command command(String json) {
        return JsonCommands.parse(json.getBytes(StandardCharsets.UTF_8), "alice", Instant.parse("2026-12-01T10:00:00Z"));
    }

    private static AvroWireCodec<Command> codec() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register("commands-value", Command.getClassSchema());
        return new AvroWireCodec<>(registry, "commands-value", Command.class);
    }
}
