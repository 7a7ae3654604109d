package io.coxswain.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.NodesBehindException;
import io.coxswain.commands.client.Outcome;
import io.coxswain.commands.nodes.FoldMember;
import io.coxswain.commands.nodes.FoldMembers;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rolling upgrade as a service writing with {@link CommandClient} sees it: a fold node announcing commands schema v26 (a
 * real Kafka Streams member of the fold's group, running the fold) makes the client refuse, before writing it, a
 * CreateCluster with an approval policy (a field v27 added, which that node would drop and so reject); once the node has
 * left, the same command is written and accepted. A member announcing the current version, or none (a Coxswain from
 * before announcements), or a group Kafka does not know, never blocks a send, nor does an older member a client with the
 * check turned off. Each client is built once the member is in the group, so its first look
 * at the group sees it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandClientNodesBehindTest {

    private static final int BEFORE_POLICIES = 26;
    private static final int CURRENT = StoredCommands.CURRENT_VERSION;

    private NodeFixture fixture;

    @BeforeAll
    void start() {
        fixture = new NodeFixture().start();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void aSendAnOlderFoldNodeCouldNotReadWholeIsRefusedWritingNothingUntilTheNodeLeaves() throws Exception {
        String cluster = "guarded-" + UUID.randomUUID().toString().substring(0, 6);
        Command create = withApprovalPolicy(cluster, "create-" + cluster);
        String legacy = "legacy-" + UUID.randomUUID().toString().substring(0, 6) + "-commands-v" + BEFORE_POLICIES;
        try (FoldGroupMember older = FoldGroupMember.join(fixture.node, legacy); CommandClient client = clientSeeing(legacy)) {
            assertThatThrownBy(() -> client.send(create).toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(NodesBehindException.class, e -> {
                        assertThat(e.clusterId()).isEqualTo(cluster);
                        assertThat(e.commandId()).isEqualTo(create.getCommandId());
                        assertThat(e.field()).isEqualTo("payload.approvalPolicy");
                        assertThat(e.nodesVersion()).isEqualTo(BEFORE_POLICIES);
                        assertThat(e.nodes()).isNotEmpty().allSatisfy(n -> {
                            assertThat(n.node()).isEqualTo(legacy);
                            assertThat(n.commandsSchemaVersion()).hasValue(BEFORE_POLICIES);
                        });
                        assertThat(e.getMessage()).startsWith("CreateCluster " + create.getCommandId() + " on cluster '" + cluster
                                + "' was not written: it sets payload.approvalPolicy, a field commands schema v" + BEFORE_POLICIES
                                + " does not know and would drop, and fold node " + legacy + " on ").contains(
                                "(commands schema v" + BEFORE_POLICIES + ") of group '" + fixture.config.applicationId() + "'",
                                "than this CommandClient (commands schema v" + CURRENT + ")", "Nothing was written and the command id stays free",
                                "finish upgrading the fold nodes", "then send it again");
                    });
            assertThat(commandIdsInTopic()).as("nothing written").doesNotContain(create.getCommandId());

            // a service that turned the check off writes it, as before the check (this member runs today's fold, so decides it)
            Command unchecked = withApprovalPolicy("unchecked-" + cluster, "create-unchecked-" + cluster);
            try (CommandClient off = CommandClient.builder(fixture.bootstrap).topics(fixture.topics).foldGroup(fixture.config.applicationId())
                    .checkFoldNodes(false).decisionTimeout(Duration.ofSeconds(30)).build()) {
                assertThat(off.send(unchecked).toCompletableFuture().join()).isInstanceOf(Outcome.Accepted.class);
            }
            assertThat(commandIdsInTopic()).contains(unchecked.getCommandId());
        }

        // the client may hold its look at the group for a few seconds after the node left: sent again until it is written
        try (CommandClient client = fixture.client()) {
            AtomicReference<Outcome> outcome = new AtomicReference<>();
            NodeFixture.await(Duration.ofSeconds(30), "the send written once the older node left", () -> {
                try {
                    outcome.set(client.send(create).toCompletableFuture().join());
                    return true;
                } catch (CompletionException e) {
                    if (e.getCause() instanceof NodesBehindException) {
                        return false;
                    }
                    throw e;
                }
            });
            assertThat(outcome.get()).isEqualTo(new Outcome.Accepted(create.getCommandId(), cluster, 1, false));
        }
        assertThat(commandIdsInTopic()).containsOnlyOnce(create.getCommandId());
    }

    @Test
    void aMemberAnnouncingTheCurrentVersionNeverBlocks() throws Exception {
        sentAndAcceptedBeside("current-" + UUID.randomUUID().toString().substring(0, 6) + "-commands-v" + CURRENT);
    }

    @Test
    void aMemberAnnouncingNoVersionNeverBlocks() throws Exception {
        sentAndAcceptedBeside("coxswain-before-announcements-" + UUID.randomUUID().toString().substring(0, 6));
    }

    @Test
    void aFoldGroupKafkaDoesNotKnowNeverBlocks() {
        String cluster = "nogroup-" + UUID.randomUUID().toString().substring(0, 6);
        Command create = withApprovalPolicy(cluster, "create-" + cluster);
        try (CommandClient client = CommandClient.builder(fixture.bootstrap).topics(fixture.topics).foldGroup("no-such-fold-" + cluster)
                .decisionTimeout(Duration.ofSeconds(30)).build()) {
            assertThat(client.send(create).toCompletableFuture().join()).isEqualTo(new Outcome.Accepted(create.getCommandId(), cluster, 1, false));
        }
    }

    private void sentAndAcceptedBeside(String memberClientId) throws Exception {
        String cluster = "beside-" + UUID.randomUUID().toString().substring(0, 6);
        Command create = withApprovalPolicy(cluster, "create-" + cluster);
        try (FoldGroupMember member = FoldGroupMember.join(fixture.node, memberClientId); CommandClient client = clientSeeing(memberClientId)) {
            assertThat(client.send(create).toCompletableFuture().join()).isEqualTo(new Outcome.Accepted(create.getCommandId(), cluster, 1, false));
        }
        assertThat(commandIdsInTopic()).contains(create.getCommandId());
    }

    /** A CreateCluster with an approval policy: commands schema v27 added the field, so a v26 node would drop it. */
    private static Command withApprovalPolicy(String cluster, String commandId) {
        Command create = Commands.on(cluster).commandId(commandId).issuer("alice").createCluster("4.1.0", 3, 3, "10Gi");
        ((CreateCluster) create.getPayload()).setApprovalPolicy(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72));
        return create;
    }

    /** A client built once Kafka lists the member in the fold's group: its first look at the group sees it. */
    private CommandClient clientSeeing(String memberClientId) {
        try (FoldMembers group = new FoldMembers("test-nodes", fixture.bootstrap, Map.of(), fixture.config.applicationId(), Clock.systemUTC())) {
            NodeFixture.await(Duration.ofSeconds(30), memberClientId + " in the fold's group", () -> group.current().join().members().stream()
                    .map(FoldMember::node).anyMatch(memberClientId::equals));
        }
        return fixture.client();
    }

    private List<String> commandIdsInTopic() {
        return SharedKafka.readAll(fixture.topics.commands()).stream()
                .map(r -> fixture.node.codecs().commands().decode(r.headers(), r.value()).getCommandId()).toList();
    }
}
