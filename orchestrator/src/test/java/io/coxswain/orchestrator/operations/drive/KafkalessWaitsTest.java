package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.AclSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.MirrorSpec;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.avro.state.QuotaSpec;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.orchestrator.executor.TestStates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an executor whose pods run no Kafka says waits on a cluster, by kind, read from its state alone. */
class KafkalessWaitsTest {

    @Test
    void aClusterAsCreatedHasNothingWaiting() {
        assertThat(KafkalessWaits.of(TestStates.created("pay", 1, 1))).isEmpty();
    }

    @Test
    void eachKindNamesWhatWaitsSortedAndCounted() {
        ClusterState state = TestStates.created("pay", 1, 3);
        state.getTopics().put("orders", topic());
        state.getTopics().put("audit", topic());
        state.getSpec().setClientAuthentication("TLS");
        state.getUsers().put("bob", UserSpec.newBuilder().setAcls(List.of(acl(), acl())).setQuotas(QuotaSpec.newBuilder().setProducerByteRate(1024L).build()).build());
        state.getUsers().put("alice", UserSpec.newBuilder().setAuthentication("SCRAM-SHA-512").build());
        // a live key beside a key only a restart reads (a roll: the operation refusal's) and Coxswain's own
        state.getSpec().getBrokerConfig().putAll(Map.of("log.retention.ms", "1000", "message.max.bytes", "2000000", "num.network.threads.x", "3",
                "log.dirs", "/x"));
        state.getConnectors().put("sink", ConnectorSpec.newBuilder().setConnectorClass("FileStreamSink").setTasksMax(1).setState("RUNNING").build());
        state.getSpec().getMirrors().put("dr", MirrorSpec.newBuilder().setSourceCluster("payments").setReplicationPolicy("PREFIXED")
                .setState("RUNNING").setCommandId("m").build());
        state.getSpec().getOffsetResets().put("billing", OffsetResetRequest.newBuilder().setCommandId("r").setIssuer("me").setTo("EARLIEST")
                .setRequestedAt(Instant.EPOCH).build());

        assertThat(KafkalessWaits.of(state)).containsExactlyInAnyOrderEntriesOf(Map.of(
                KafkalessWaits.TOPICS, "topics audit, orders (2) not created",
                KafkalessWaits.USERS, "users alice (SCRAM credentials), bob (certificate Secret, 2 ACLs, quotas) not set up",
                KafkalessWaits.BROKER_CONFIG, "broker settings log.retention.ms, message.max.bytes (2) not applied",
                KafkalessWaits.CONNECTORS, "connector sink not created",
                KafkalessWaits.MIRRORS, "mirror dr (from payments) not started",
                KafkalessWaits.OFFSET_RESETS, "offset reset of consumer group billing not carried out"));
        assertThat(KafkalessWaits.KEYS).containsExactlyInAnyOrderElementsOf(KafkalessWaits.of(state).keySet());
    }

    @Test
    void manyNamesAreCutShortAndCounted() {
        ClusterState state = TestStates.created("pay", 1, 1);
        for (int i = 1; i <= 7; i++) {
            state.getTopics().put("t" + i, topic());
        }
        assertThat(KafkalessWaits.of(state)).containsEntry(KafkalessWaits.TOPICS, "topics t1, t2, t3, t4, t5 and 2 more (7) not created");
    }

    @Test
    void usersOfAClusterThatNamesNoClientsWaitForNothing() {
        ClusterState state = TestStates.created("pay", 1, 1);
        state.getSpec().setClientAuthentication("NONE");
        state.getUsers().put("alice", UserSpec.newBuilder().build());
        assertThat(KafkalessWaits.of(state)).doesNotContainKey(KafkalessWaits.USERS);
    }

    private static TopicSpec topic() {
        return TopicSpec.newBuilder().setPartitions(1).setReplicationFactor(1).build();
    }

    private static AclSpec acl() {
        return AclSpec.newBuilder().setResourceType("TOPIC").setName("orders").setPatternType("LITERAL").setOperations(List.of("READ"))
                .setHost("*").setPermission("ALLOW").build();
    }
}
