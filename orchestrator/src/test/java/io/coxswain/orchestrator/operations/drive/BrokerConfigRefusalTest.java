package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live broker configuration change a REAL Kafka refuses (the shared embedded broker answers) is shown in the cluster's state,
 * status.executorRefusals, with Kafka's reason and what to do, reported once over passes, and leaves once Kafka takes the fix.
 */
class BrokerConfigRefusalTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static final String KEY = "message.max.bytes";
    private static final ConfigResource DEFAULTS = new ConfigResource(ConfigResource.Type.BROKER, "");

    private final RecordingSink sink = new RecordingSink();
    private final AtomicLong now = new AtomicLong();
    private final BrokerConfigSync sync = new BrokerConfigSync(new OperationRecorder(sink), now::get);
    private final StatusReporter reporter = new StatusReporter(null, sink, Duration.ofSeconds(10));
    private Admin admin;
    private ClusterState state = TestStates.created("pay", 1, 1);

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
    }

    @AfterEach
    void close() throws Exception {
        // the broker the test classes share keeps no override of this test's
        admin.incrementalAlterConfigs(Map.of(DEFAULTS, List.of(new AlterConfigOp(new ConfigEntry(KEY, ""), AlterConfigOp.OpType.DELETE))))
                .all().get();
        admin.close();
    }

    @Test
    void aLiveChangeKafkaRefusesIsShownInTheStateWithKafkasReasonOnceAndLeavesWhenKafkaTakesTheFix() {
        fold(Commands.on("pay").issuer("alice").commandId("too-small").updateBrokerConfig(Map.of(KEY, "-5"), List.of()));

        assertThat(sync.sync(state, "too-small", admin, T)).as("not acted on while Kafka refuses it").isFalse();
        pass();
        ExecutorRefusalStatus shown = state.getStatus().getExecutorRefusals().get("brokerConfig/cluster-default");
        assertThat(state.getStatus().getExecutorRefusals()).containsOnlyKeys("brokerConfig/cluster-default");
        assertThat(shown.getReason()).startsWith("Kafka refused message.max.bytes=-5 on the cluster default: ")
                .contains("Exception: ", "cox config set pay KEY=VALUE", "cox config remove pay KEY");
        assertThat(shown.getCommandId()).isEqualTo("too-small");

        // pass after pass, within the delay and after it (Kafka asked again, the same answer): nothing more reported
        sync.sync(state, "obs-1", admin, T);
        pass();
        now.addAndGet(RefusedChanges.FIRST_DELAY.toNanos());
        assertThat(sync.sync(state, "obs-2", admin, T)).isFalse();
        pass();
        assertThat(sink.of(ExecutorRefusalsObserved.class)).as("reported once").hasSize(1);
        assertThat(state.getStatus().getExecutorRefusals().get("brokerConfig/cluster-default").getCommandId())
                .as("the command it was first refused under").isEqualTo("too-small");

        // the fix is a new change: tried at once, taken, and the refusal leaves the state
        fold(Commands.on("pay").issuer("alice").commandId("fixed").updateBrokerConfig(Map.of(KEY, "1048588"), List.of()));
        assertThat(sync.sync(state, "fixed", admin, T)).as("a corrected value is tried at once").isTrue();
        pass();
        assertThat(sink.of(ExecutorRefusalsObserved.class)).hasSize(2).last().satisfies(o -> assertThat(o.getRefusals()).isEmpty());
        assertThat(state.getStatus().getExecutorRefusals()).isEmpty();
    }

    /** What the reconciler does at the end of a pass: report the set, folded as the topology would. */
    private void pass() {
        int before = sink.entries().size();
        reporter.reportRefusals(state, sync.refusals(state));
        sink.entries().subList(before, sink.entries().size()).forEach(e -> fold(Commands.on("pay").issuer("exec")
                .commandId("obs-" + state.getVersion()).observation("exec", e.observation())));
    }

    private void fold(io.coxswain.avro.command.Command c) {
        state = Evolve.apply(state, c);
    }
}
