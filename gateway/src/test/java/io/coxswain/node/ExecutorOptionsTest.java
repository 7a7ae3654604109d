package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.orchestrator.executor.model.ImageMirrors;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The installation's defaults for every cluster's pods, as {@code dev} and {@code run} take them. */
class ExecutorOptionsTest {

    @Test
    void withoutOptionsTheBuiltInDefaultsHold() {
        assertThat(options().model()).isEqualTo(ModelSettings.defaults());
    }

    @Test
    void theSizingOptionsReplaceTheDefaultsOfTheirRoleOnly() {
        ModelSettings model = options("--broker-resources", "cpuRequest=2,cpuLimit=4000m,memory=8192Mi,heap=6g",
                "--component-resources", "cpuRequest=500m,memory=2Gi,heap=1g", "--jmx-exporter-image", "registry.corp.example/jmx:1").model();
        ModelSettings.Resources brokers = model.resources(KafkaRole.BROKER);
        assertThat(brokers.requests()).isEqualTo(Map.of("cpu", "2", "memory", "8Gi"));
        assertThat(brokers.limits()).as("memory as request and limit").isEqualTo(Map.of("cpu", "4", "memory", "8Gi"));
        assertThat(brokers.heap()).isEqualTo("-Xms6g -Xmx6g");
        assertThat(model.componentResources().requests()).isEqualTo(Map.of("cpu", "500m", "memory", "2Gi"));
        assertThat(model.resources(KafkaRole.CONTROLLER)).isEqualTo(ModelSettings.defaults().resources(KafkaRole.CONTROLLER));
        assertThat(model.jmxExporterImage()).isEqualTo("registry.corp.example/jmx:1");
        ModelSettings mirrored = options("--image-mirror", "docker.io=registry.corp.example/hub,confluentinc=registry.corp.example/cp").model();
        assertThat(mirrored.imageMirrors().apply("apache/kafka:4.1.0")).isEqualTo("registry.corp.example/hub/apache/kafka:4.1.0");
        assertThat(mirrored.imageMirrors().apply("confluentinc/cp-kafka-rest:7.9.0")).isEqualTo("registry.corp.example/cp/cp-kafka-rest:7.9.0");
        assertThat(options("--image-mirror=").model().imageMirrors()).as("an empty setting").isEqualTo(ImageMirrors.NONE);
    }

    @Test
    void aSizingThatCannotBeUsedIsRefusedNamingTheOptionAndTheField() {
        assertThatThrownBy(() -> options("--broker-resources", "cpuRequest=1,memory=2Gi,heap=2g").model())
                .hasMessageContaining("--broker-resources").hasMessageContaining("heap");
        assertThatThrownBy(() -> options("--controller-resources", "cpuRequest=1,memory=2Gi").model())
                .hasMessageContaining("--controller-resources").hasMessageContaining("heap: is missing");
        assertThatThrownBy(() -> options("--broker-resources", "cpu=1,memory=2Gi,heap=1g").model())
                .hasMessageContaining("--broker-resources takes cpuRequest, cpuLimit, memory, heap").hasMessageContaining("'cpu=1'");
        assertThatThrownBy(() -> options("--broker-resources", "cpuRequest=1,cpuLimit=500m,memory=2GB,heap=1g").model())
                .hasMessageContaining("memory: must be a Kubernetes memory quantity");
    }

    @Test
    void networkPoliciesAreMadeUnlessTheInstallationTurnsThemOff() {
        assertThat(options().model().networkPolicies()).isTrue();
        assertThat(options("--network-policies=false").model()).isEqualTo(ModelSettings.defaults().withNetworkPolicies(false));
        assertThat(options("--network-policies", "true").model().networkPolicies()).isTrue();
        assertThatThrownBy(() -> options("--network-policies=no")).hasMessageContaining("--network-policies").hasMessageContaining("'no'");
    }

    @Test
    void theReplicationThrottleIs50MiBUnlessTheInstallationSaysOtherwiseWithinBounds() {
        assertThat(options().drive().throttleBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(options("--replication-throttle", "200MiB").drive().throttleBytes()).isEqualTo(200L * 1024 * 1024);
        assertThat(options("--replication-throttle", "1073741824").drive().throttleBytes()).isEqualTo(1024L * 1024 * 1024);
        assertThat(options("--replication-throttle", "1GiB", "--no-broker-hostname-verification").drive().verifyBrokerHostnames()).isFalse();
        assertThatThrownBy(() -> options("--replication-throttle", "50MB").drive())
                .hasMessage("--replication-throttle must be bytes per second as a whole number, or with a binary unit: 52428800, 512KiB, 50MiB"
                        + " or 1GiB; got '50MB'");
        assertThatThrownBy(() -> options("--replication-throttle", "512KiB").drive())
                .hasMessage("--replication-throttle must be between 1048576 (1 MiB/s) and 10737418240 (10 GiB/s) bytes per second per broker;"
                        + " got '512KiB'");
    }

    @Test
    void devRefusesToStartOnABadDefaultBeforeAnythingRuns() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new CoxswainMain()).execute("dev", "--image-mirror", "docker.io");
        } finally {
            System.setErr(err);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Coxswain refuses to start: --image-mirror must be FROM=TO");
    }

    private static ExecutorOptions options(String... args) {
        ExecutorOptions options = new ExecutorOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
