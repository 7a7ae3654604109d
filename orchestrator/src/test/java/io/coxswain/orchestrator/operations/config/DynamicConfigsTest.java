package io.coxswain.orchestrator.operations.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import io.coxswain.orchestrator.operations.config.DynamicConfigs.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class DynamicConfigsTest {

    @Test
    void modesComeFromKafkasOwnTable() {
        assertThat(DynamicConfigs.modeOf("log.retention.ms")).isEqualTo(Mode.CLUSTER_WIDE);
        assertThat(DynamicConfigs.modeOf("min.insync.replicas")).isEqualTo(Mode.CLUSTER_WIDE);
        assertThat(DynamicConfigs.modeOf("num.io.threads")).isEqualTo(Mode.CLUSTER_WIDE);
        assertThat(DynamicConfigs.modeOf("follower.replication.throttled.rate")).isEqualTo(Mode.CLUSTER_WIDE);
        assertThat(DynamicConfigs.modeOf("ssl.keystore.location")).isEqualTo(Mode.PER_BROKER);
        assertThat(DynamicConfigs.modeOf("listener.name.external.ssl.keystore.location")).isEqualTo(Mode.PER_BROKER);
        assertThat(DynamicConfigs.modeOf("auto.create.topics.enable")).isEqualTo(Mode.RESTART);
        assertThat(DynamicConfigs.modeOf("node.id")).isEqualTo(Mode.RESTART);
        assertThat(DynamicConfigs.modeOf("log.dirs")).isEqualTo(Mode.RESTART);
        assertThat(DynamicConfigs.modeOf("some.plugin.setting")).as("unknown keys are read at start-up only").isEqualTo(Mode.RESTART);
        assertThat(DynamicConfigs.dynamicKeys()).contains("log.retention.ms", "message.max.bytes").doesNotContain("process.roles");
    }

    @Test
    void diffSplitsLiveKeysFromKeysThatNeedARoll() {
        ConfigChange change = DynamicConfigs.diff(
                Map.of("log.retention.ms", "1000", "auto.create.topics.enable", "false", "message.max.bytes", "100", "ssl.client.auth", "none"),
                Map.of("log.retention.ms", "2000", "auto.create.topics.enable", "true", "message.max.bytes", "100", "ssl.client.auth", "required"));
        assertThat(change.clusterWide()).containsOnly(Map.entry("log.retention.ms", Optional.of("2000")));
        assertThat(change.perBroker()).containsOnly(Map.entry("ssl.client.auth", Optional.of("required")));
        assertThat(change.needsRestart()).containsExactly("auto.create.topics.enable");
        assertThat(change.needsRoll()).isTrue();
        assertThat(change.summary()).isEqualTo("applied live cluster-wide: [log.retention.ms]; applied live per broker: [ssl.client.auth]; "
                + "needs a rolling restart: [auto.create.topics.enable]");
    }

    @Test
    void aRemovedKeyIsDeletedAndAnUnchangedConfigIsEmpty() {
        ConfigChange change = DynamicConfigs.diff(Map.of("log.retention.ms", "1000"), Map.of());
        assertThat(change.clusterWide()).containsOnly(Map.entry("log.retention.ms", Optional.empty()));
        assertThat(change.needsRoll()).isFalse();
        assertThat(DynamicConfigs.diff(Map.of("a", "1"), Map.of("a", "1")).isEmpty()).isTrue();
    }

    @Test
    void applyLiveSetsClusterDefaultsOnceAndPerBrokerKeysOnEachBroker() {
        FakeAdmin admin = FakeKafka.cluster().brokers(1, 2).build();
        DynamicConfigs.applyLive(admin, DynamicConfigs.diff(Map.of(), Map.of("log.cleaner.threads", "2")), List.of(1, 2), Duration.ofSeconds(1));
        assertThat(admin.kafka().configsOf(new ConfigResource(ConfigResource.Type.BROKER, ""))).containsOnlyKeys("log.cleaner.threads");
        ConfigChange change = DynamicConfigs.diff(Map.of("log.cleaner.threads", "2"),
                Map.of("log.retention.ms", "5000", "ssl.client.auth", "required"));
        DynamicConfigs.applyLive(admin, change, List.of(1, 2), Duration.ofSeconds(1));
        assertThat(admin.kafka().configsOf(new ConfigResource(ConfigResource.Type.BROKER, "")))
                .containsOnly(Map.entry("log.retention.ms", "5000"));
        assertThat(admin.kafka().configsOf(FakeKafka.brokerResource(2))).containsOnly(Map.entry("ssl.client.auth", "required"));
        assertThat(admin.kafka().configsOf(FakeKafka.brokerResource(1))).containsOnly(Map.entry("ssl.client.auth", "required"));
    }
}
