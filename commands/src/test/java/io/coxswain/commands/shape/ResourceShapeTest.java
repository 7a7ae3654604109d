package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterResources;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RoleResources;
import io.coxswain.avro.command.UpdateResources;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.ResourceShape.Sizing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sizing of a role's pods: quantities Kubernetes and the JVM take, a cpu limit above its request, a heap that leaves room. */
class ResourceShapeTest {

    private static List<String> violations(Object payload) {
        return PayloadViolations.of(payload);
    }

    private static List<String> create(RoleResources brokers) {
        CreateCluster create = (CreateCluster) Commands.on("payments").issuer("alice").createCluster("4.1.0", 3, 3, "10Gi").getPayload();
        create.setResources(new ClusterResources(null, brokers));
        return violations(create);
    }

    private static UpdateResources update(String role, String cpu, String cpuLimit, String memory, String heap) {
        return new UpdateResources(role, cpu, cpuLimit, memory, heap);
    }

    @Test
    void quantitiesAreReadAsKubernetesAndTheJvmReadThem() {
        assertThat(ResourceShape.millicores("500m")).hasValue(500);
        assertThat(ResourceShape.millicores("2")).hasValue(2000);
        assertThat(ResourceShape.millicores("1.5")).hasValue(1500);
        assertThat(ResourceShape.millicores("0.25")).hasValue(250);
        assertThat(ResourceShape.millicores("0")).isEmpty();
        assertThat(ResourceShape.millicores("2 cores")).isEmpty();
        assertThat(ResourceShape.memoryBytes("4Gi")).hasValue(4L << 30);
        assertThat(ResourceShape.memoryBytes("512Mi")).hasValue(512L << 20);
        assertThat(ResourceShape.memoryBytes("4GB")).isEmpty();
        assertThat(ResourceShape.memoryBytes("999999Ti")).hasValue(999_999L << 40);
        assertThat(ResourceShape.memoryBytes("1000000Ti")).as("more digits would not fit a long").isEmpty();
        assertThat(ResourceShape.heapBytes("2g")).hasValue(2L << 30);
        assertThat(ResourceShape.heapBytes("2048m")).hasValue(2L << 30);
        assertThat(ResourceShape.heapBytes("2Gi")).isEmpty();
    }

    @Test
    void aCompleteSizingPasses() {
        assertThat(create(new RoleResources("500m", "2", "4Gi", "3g"))).isEmpty();
        assertThat(create(new RoleResources("1", null, null, null))).as("a cpu request alone").isEmpty();
        assertThat(violations(update("controllers", null, null, "2Gi", null))).as("the rest is DECIDE's, against the state").isEmpty();
    }

    @Test
    void eachMalformedValueIsNamed() {
        assertThat(create(new RoleResources("half", "2", "4Gi", "3g"))).singleElement().asString()
                .contains("payload.resources.brokers.cpuRequest", "500m or 2", "'half'");
        assertThat(create(new RoleResources(null, null, "4GB", "3g"))).singleElement().asString()
                .contains("payload.resources.brokers.memory", "4Gi");
        assertThat(violations(update("brokers", null, null, null, "3Gi"))).singleElement().asString()
                .contains("payload.heap", "2g or 2048m");
        assertThat(violations(update("kafka", "1", null, null, null))).singleElement().asString()
                .contains("payload.role", "brokers, controllers");
        assertThat(violations(update("brokers", null, null, null, null))).singleElement().asString()
                .contains("at least one of cpuRequest, cpuLimit, memory, heap");
    }

    @Test
    void theCpuLimitIsAtLeastTheRequest() {
        assertThat(create(new RoleResources("2", "500m", null, null))).singleElement().asString()
                .contains("payload.resources.brokers.cpuLimit", "below the cpu request 2");
        assertThat(violations(update("brokers", "2", "1500m", null, null))).singleElement().asString().contains("payload.cpuLimit");
        assertThat(create(new RoleResources(null, "2", null, null))).singleElement().asString()
                .contains("payload.resources.brokers.cpuRequest", "is needed with cpuLimit 2");
    }

    @Test
    void theHeapLeavesAQuarterOfTheMemoryAndComesWithIt() {
        assertThat(create(new RoleResources(null, null, "4Gi", "3g"))).as("exactly 75%").isEmpty();
        assertThat(create(new RoleResources(null, null, "999999Ti", "9999999g"))).as("no overflow at the largest values").isEmpty();
        assertThat(create(new RoleResources(null, null, "4Gi", "3073m"))).singleElement().asString()
                .contains("payload.resources.brokers.heap", "more than 75% of memory 4Gi", "at most 3072m");
        assertThat(violations(update("brokers", null, null, "2Gi", "2g"))).singleElement().asString().contains("payload.heap", "75%");
        assertThat(create(new RoleResources(null, null, null, "1g"))).singleElement().asString()
                .contains("payload.resources.brokers.memory", "is needed with heap 1g");
        assertThat(create(new RoleResources(null, null, "8Gi", null))).singleElement().asString()
                .contains("payload.resources.brokers.heap", "is needed with memory 8Gi");
    }

    @Test
    void anUpdateOverlaysTheCurrentSizing() {
        Sizing current = new Sizing("500m", null, "2Gi", "1g");
        assertThat(new Sizing(null, null, "4Gi", null).over(current)).isEqualTo(new Sizing("500m", null, "4Gi", "1g"));
        assertThat(ResourceShape.checkCombination(new Sizing(null, null, null, "2g").over(current), "payload."))
                .singleElement().asString().contains("payload.heap", "more than 75% of memory 2Gi");
        assertThat(new Sizing("1000m", null, "2048Mi", "1024m").sameAs(current)).isFalse();
        assertThat(new Sizing("0.5", null, "2048Mi", "1024m").sameAs(current)).isTrue();
        assertThat(new Sizing("500m", "1", "2Gi", "1g").sameAs(current)).as("a limit where there was none").isFalse();
    }

    @Test
    void theValueDefaultPutsAnUpdatedFieldBackToTheInstallationsAndMeansNothingAtCreation() {
        Sizing current = new Sizing("1", "2", "8Gi", "6g");
        assertThat(new Sizing(null, "default", null, null).over(current)).isEqualTo(new Sizing("1", null, "8Gi", "6g"));
        assertThat(new Sizing("default", "default", "default", "default").over(current)).isEqualTo(Sizing.NONE);
        assertThat(violations(update("brokers", null, "default", "default", "default"))).isEmpty();
        assertThat(violations(update("brokers", null, null, "default", "6g"))).as("a heap kept beside a memory reset: DECIDE's to judge").isEmpty();
        assertThat(create(new RoleResources(null, null, "default", "1g"))).singleElement().asString()
                .contains("payload.resources.brokers.memory", "'default'");
    }
}
