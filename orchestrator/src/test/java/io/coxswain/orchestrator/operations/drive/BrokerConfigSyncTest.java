package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The live broker configuration against a fake Kafka: refusals recorded once with backoff, removals without memory. */
class BrokerConfigSyncTest {

    private static final Duration T = Duration.ofSeconds(5);
    private static final ConfigResource DEFAULTS = new ConfigResource(ConfigResource.Type.BROKER, "");

    private final RecordingSink sink = new RecordingSink();
    private final AtomicLong now = new AtomicLong();

    @Test
    void aRefusedChangeIsRecordedOnceAndTriedAgainAfterAGrowingDelay() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).refuse("message.max.bytes", "7", "message.max.bytes must be at least 8");
        FakeAdmin admin = kafka.build();
        BrokerConfigSync sync = new BrokerConfigSync(new OperationRecorder(sink), now::get);
        ClusterState state = withBrokerConfig(Map.of("message.max.bytes", "7"));

        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(1);
        assertThat(reasons()).hasSize(2).last().asString().startsWith("refused by Kafka: InvalidConfigurationException: message.max.bytes must be at least 8");
        assertThat(sync.refusing("pay")).as("not acted on, whatever starts meanwhile").isTrue();
        assertThat(sync.refusing("pa")).as("another cluster's name is no prefix of it").isFalse();

        // passes come often (every observation, every resync): none asks Kafka again or records anything until the delay is over
        sync.sync(state, "cfg-1", admin, T);
        advance(RefusedChanges.FIRST_DELAY.minusSeconds(1));
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(2);
        // the delay doubles: 20 s now
        advance(RefusedChanges.FIRST_DELAY);
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(2);
        advance(RefusedChanges.FIRST_DELAY);
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(3);
        assertThat(reasons()).as("the same answer is not recorded again").hasSize(2);

        // a different answer is news
        kafka.refuse("message.max.bytes", "7", "the policy forbids it");
        advance(RefusedChanges.MAX_DELAY);
        sync.sync(state, "cfg-1", admin, T);
        assertThat(reasons()).hasSize(3).last().asString().contains("the policy forbids it");

        // Kafka takes it at last: recorded, and nothing more to do
        kafka.stopRefusing();
        advance(RefusedChanges.MAX_DELAY);
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.configsOf(DEFAULTS)).containsEntry("message.max.bytes", "7");
        assertThat(reasons()).hasSize(4).last().isEqualTo("applied live after Kafka had refused it");
        assertThat(sync.refusing("pay")).isFalse();
        int calls = kafka.alterConfigCalls();
        sync.sync(state, "cfg-1", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(calls);
    }

    @Test
    void aRefusalOnABrokerTheClusterNoLongerHasEndsWithIt() {
        assertThat(DynamicConfigs.modeOf("ssl.client.auth")).as("a key Kafka changes per broker").isEqualTo(DynamicConfigs.Mode.PER_BROKER);
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).refuse("ssl.client.auth", "required", "no truststore on this listener");
        FakeAdmin admin = kafka.build();
        BrokerConfigSync sync = new BrokerConfigSync(new OperationRecorder(sink), now::get);
        ClusterState state = withBrokerConfig(Map.of("ssl.client.auth", "required"));
        sync.sync(state, "cfg-3", admin, T);
        assertThat(sync.refusing("pay")).isTrue();
        assertThat(sync.refusals(state)).as("one refusal per broker in the state").containsOnlyKeys("brokerConfig/broker-0",
                "brokerConfig/broker-1", "brokerConfig/broker-2");

        kafka.unregistered(2).fenced(1); // a scale-in removed broker 2; broker 1 is restarting
        kafka.stopRefusing();
        advance(RefusedChanges.MAX_DELAY);
        assertThat(sync.sync(state, "cfg-3", admin, T)).isTrue();
        assertThat(kafka.configsOf(FakeKafka.brokerResource(0))).containsEntry("ssl.client.auth", "required");
        assertThat(sync.refusing("pay")).as("broker 1 is still in the cluster: its refusal stays until it answers").isTrue();
        assertThat(sync.refusals(state)).as("broker 2 scaled away, broker 0 took it").containsOnlyKeys("brokerConfig/broker-1");

        kafka.brokers(1); // back, unfenced
        sync.sync(state, "cfg-3", admin, T);
        assertThat(sync.refusing("pay")).as("nothing refused on a broker the cluster has: broker 2's refusal went with it").isFalse();
        assertThat(sync.refusals(state)).isEmpty();
    }

    @Test
    void theDelayIsCapped() {
        RefusedChanges r = new RefusedChanges(now::get);
        for (int i = 0; i < 20; i++) {
            r.refuse("pay/cluster default", "change", "no");
        }
        assertThat(r.delay("pay/cluster default")).isEqualTo(RefusedChanges.MAX_DELAY);
        assertThat(r.mayTry("pay/cluster default", "another change")).as("a different change is tried at once").isTrue();
    }

    @Test
    void aNodeThatNeverSawTheKeyRemovesAnOverrideTheStateNoLongerNames() {
        // what an earlier node applied from the state, before a command removed the key and the node was restarted
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).clusterDefault("message.max.bytes", "2000000")
                .clusterDefault("min.insync.replicas", "2") // Kafka's own with ELR
                .brokerConfig(0, ReassignmentExecutor.FOLLOWER_RATE, "5000000"); // a rebalancing's throttle
        BrokerConfigSync fresh = new BrokerConfigSync(new OperationRecorder(sink), now::get);

        fresh.sync(withBrokerConfig(Map.of("log.roll.hours", "100")), "cfg-2", kafka.build(), T);

        assertThat(kafka.configsOf(DEFAULTS)).doesNotContainKey("message.max.bytes").containsEntry("min.insync.replicas", "2");
        assertThat(kafka.configsOf(FakeKafka.brokerResource(0))).containsKey(ReassignmentExecutor.FOLLOWER_RATE);
        assertThat(sink.actions(ResourceAction.APPLY)).singleElement().satisfies(a -> {
            assertThat(a.getName()).isEqualTo("cluster default");
            assertThat(a.getDetail()).contains("message.max.bytes");
            assertThat(a.getCauseCommandId()).isEqualTo("cfg-2");
        });
    }

    @Test
    void aCordonAScaleInLeftOnAFailedRunIsLiftedAtTheNextPassWithoutAnOperation() {
        assertThat(DynamicConfigs.modeOf(Cordon.KEY)).as("a key Kafka changes per broker").isEqualTo(DynamicConfigs.Mode.PER_BROKER);
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).brokerConfig(2, Cordon.KEY, "*");

        new BrokerConfigSync(new OperationRecorder(sink), now::get).sync(withBrokerConfig(Map.of()), "in-1", kafka.build(), T);

        assertThat(kafka.configsOf(FakeKafka.brokerResource(2))).doesNotContainKey(Cordon.KEY);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private List<String> reasons() {
        return sink.actions(ResourceAction.APPLY).stream().map(ResourceActionObserved::getReason).toList();
    }

    private static ClusterState withBrokerConfig(Map<String, String> config) {
        ClusterState s = TestStates.created("pay", 1, 3);
        s.getSpec().setBrokerConfig(config);
        return s;
    }
}
