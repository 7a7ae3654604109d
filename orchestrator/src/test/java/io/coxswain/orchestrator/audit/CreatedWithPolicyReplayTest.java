package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * An auditor replaying the log of a cluster born with four eyes sees the policy at version 1, from the CreateCluster that
 * carried it, and the first covered change as a proposal: the replay is the fold, over a real command topic.
 */
class CreatedWithPolicyReplayTest {

    @Test
    void aReplayOfACreationCarryingAPolicyHoldsThePolicyFromVersionOne() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = AuditFixture.newTopics();
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 1);
        Instant t0 = Instant.now().minusSeconds(600);
        Command plain = Commands.on("ledger").commandId("born").issuer("alice").issuedAt(t0).createCluster("4.1.0", 1, 3, "1Gi");
        Command create = Command.newBuilder(plain).setPayload(CreateCluster.newBuilder((CreateCluster) plain.getPayload())
                .setApprovalPolicy(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic", "ScaleBrokers"), 2)), 48)).build()).build();
        Command scale = Commands.on("ledger").commandId("grow").issuer("alice").issuedAt(t0.plusSeconds(1)).scaleBrokers(5);
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
             KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            Codecs codecs = Codecs.of(registry, topics);
            AuditFixture.send(producer, topics.commands(), List.of(raw(codecs, create), raw(codecs, scale)));
        }

        LogLocation where = LogLocation.of(bootstrap, topics);
        try (AuditService audit = new AuditService(where, 1); Replayer replayer = new Replayer(where)) {
            ClusterState v1 = audit.stateAtVersion("ledger", 1).toCompletableFuture().join().orElseThrow();
            assertThat(v1.getSpec().getApprovalPolicy()).as("born with it").isNotNull();
            assertThat(v1.getSpec().getApprovalPolicy().getCommandId()).isEqualTo("born");
            assertThat(v1.getSpec().getApprovalPolicy().getRules().get(0).getCommands()).containsExactly("DeleteTopic", "ScaleBrokers");
            assertThat(v1.getSpec().getApprovalPolicy().getExpiresAfterHours()).isEqualTo(48);

            ClusterState now = replayer.replay(ReplayOptions.all()).states().get("ledger");
            assertThat(now.getVersion()).isEqualTo(2);
            assertThat(now.getSpec().getBrokers()).as("the scale waits for two approvals").isEqualTo(3);
            assertThat(now.getSpec().getProposals().get("grow").getApprovalsNeeded()).isEqualTo(2);
        }
    }

    private static AuditFixture.Raw raw(Codecs codecs, Command c) {
        return new AuditFixture.Raw(AuditFixture.Raw.key(c.getClusterId()), codecs.commands().encode(c), null, c.getIssuedAt().toEpochMilli());
    }
}
