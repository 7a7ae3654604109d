package io.coxswain.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The sandbox API server refuses the updates a real one refuses (422 Invalid, in its words, the
 * object left as it was), whichever way they are written (PUT, JSON patch, merge patch,
 * strategic merge patch, server-side apply), and still takes the changes next to them that a
 * real one takes.
 */
class ImmutableFieldsTest extends OnSandbox {

    private static final String STS_REFUSED = "StatefulSet.apps \"kafka\" is invalid: spec: Forbidden: updates to statefulset spec "
            + "for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
            + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    @Test
    void aStatefulSetTakesNewReplicasAndTemplateButNoOtherSpecChangeHoweverWritten() {
        String ns = Fixtures.newNamespace(client, "immut-sts");
        Fixtures.create(client, Fixtures.kafkaSet(ns, "kafka", 0, "OnDelete", "apache/kafka:4.0.0"));
        var sets = client.apps().statefulSets().inNamespace(ns);
        // the StatefulSet controller writes the set's status once it has seen it: read after that, or the update of a
        // copy read before it is a 409 Conflict (its resourceVersion is stale), as on a real API server, not the 422 asked about
        StatefulSet before = Eventually.await("the controller's status of StatefulSet kafka", () -> Fixtures.get(client, ns, "kafka"),
                s -> s.getStatus() != null && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration()));

        StatefulSet renamed = Fixtures.get(client, ns, "kafka");
        renamed.getSpec().setServiceName("other");
        refused(() -> sets.resource(renamed).update(), STS_REFUSED, "spec");
        refused(() -> sets.withName("kafka").edit(s -> {
            s.getSpec().getSelector().getMatchLabels().put("tier", "gold");
            return s;
        }), STS_REFUSED, "spec");
        refused(() -> sets.withName("kafka").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podManagementPolicy\":\"Parallel\"}}"), STS_REFUSED, "spec");
        refused(() -> sets.withName("kafka").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
                        + "\"resources\":{\"requests\":{\"storage\":\"20Gi\"}}}}]}}"), STS_REFUSED, "spec");
        StatefulSet applied = Fixtures.kafkaSet(ns, "kafka", 0, "OnDelete", "apache/kafka:4.0.0");
        applied.getSpec().setRevisionHistoryLimit(3);
        refused(() -> sets.resource(applied).fieldManager("test").forceConflicts().serverSideApply(), STS_REFUSED, "spec");
        StatefulSet after = Fixtures.get(client, ns, "kafka");
        assertThat(after.getSpec()).as("nothing refused was stored").isEqualTo(before.getSpec());
        assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());

        StatefulSet grown = Fixtures.get(client, ns, "kafka");
        grown.getSpec().setReplicas(1);
        grown.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("apache/kafka:4.1.0");
        sets.resource(grown).update();
        sets.withName("kafka").edit(s -> {
            s.getSpec().setMinReadySeconds(5);
            s.getSpec().getUpdateStrategy().setType("RollingUpdate");
            return s;
        });
        StatefulSet changed = Fixtures.get(client, ns, "kafka");
        assertThat(changed.getSpec().getReplicas()).isEqualTo(1);
        assertThat(Fixtures.image(Fixtures.awaitReadyPods(client, ns, java.util.List.of("kafka-0")).get("kafka-0")))
                .isEqualTo("apache/kafka:4.1.0");
        assertThat(changed.getSpec().getMinReadySeconds()).isEqualTo(5);
        assertThat(changed.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void aDeploymentKeepsItsSelector() {
        String ns = Fixtures.newNamespace(client, "immut-deploy");
        var deployments = client.apps().deployments().inNamespace(ns);
        deployments.resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();

        refused(() -> deployments.withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"api\"}}}}"),
                "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string"
                        + "{\"app\":\"api\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
                "spec.selector");
        assertThat(deployments.withName("web").get().getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "web"));

        Deployment scaled = deployments.withName("web").edit(d -> {
            d.getSpec().setReplicas(3);
            return d;
        });
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aBoundClaimMayGrowButNeitherShrinkNorChangeAnythingElse() {
        String ns = Fixtures.newNamespace(client, "immut-pvc");
        var claims = client.persistentVolumeClaims().inNamespace(ns);
        claims.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
        PersistentVolumeClaim bound = Eventually.await("the claim bound", () -> claims.withName("data").get(), Fixtures::bound);

        refused(() -> claims.withName("data").edit(c -> request(c, "5Gi")),
                "PersistentVolumeClaim \"data\" is invalid: spec.resources.requests.storage: Forbidden: "
                        + "field can not be less than previous value", "spec.resources.requests.storage");
        refused(() -> claims.withName("data").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"accessModes\":[\"ReadWriteMany\"]}}"),
                "PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable after creation except "
                        + "resources.requests and volumeAttributesClassName for bound claims", "spec");
        assertThat(claims.withName("data").get().getSpec()).isEqualTo(bound.getSpec());

        claims.withName("data").edit(c -> request(c, "20Gi"));
        Eventually.until("the claim grown to 20Gi", () -> claims.withName("data").get().getStatus().getCapacity()
                .get("storage").equals(new Quantity("20Gi")));
    }

    @Test
    void anImmutableConfigMapOrSecretKeepsItsContents() {
        String ns = Fixtures.newNamespace(client, "immut-data");
        var maps = client.configMaps().inNamespace(ns);
        maps.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .withImmutable(true).addToData("a", "1").build()).create();
        var secrets = client.secrets().inNamespace(ns);
        secrets.resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .withImmutable(true).addToStringData("password", "one").build()).create();
        secrets.resource(new SecretBuilder().withNewMetadata().withName("mutable").endMetadata()
                .addToStringData("password", "one").build()).create();
        String forbidden = "Forbidden: field is immutable when `immutable` is set";

        refused(() -> maps.withName("settings").edit(c -> {
            c.getData().put("a", "2");
            return c;
        }), "ConfigMap \"settings\" is invalid: data: " + forbidden, "data");
        refused(() -> maps.withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"immutable\":false}"),
                "ConfigMap \"settings\" is invalid: immutable: " + forbidden, "immutable");
        refused(() -> secrets.withName("creds").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"stringData\":{\"password\":\"two\"}}"), "Secret \"creds\" is invalid: data: " + forbidden, "data");
        assertThat(maps.withName("settings").get().getData()).isEqualTo(Map.of("a", "1"));
        assertThat(maps.withName("settings").get().getImmutable()).isTrue();

        ConfigMap labelled = maps.withName("settings").edit(c -> {
            c.getMetadata().setLabels(Map.of("tier", "gold"));
            return c;
        });
        assertThat(labelled.getMetadata().getLabels()).containsEntry("tier", "gold");
        Secret changed = secrets.withName("mutable").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"stringData\":{\"password\":\"two\"}}");
        assertThat(changed.getMetadata().getName()).isEqualTo("mutable");
    }

    @Test
    void aServiceKeepsItsClusterIpAndNodePortsWhenAnUpdateLeavesThemOutButRefusesAnotherAddress() {
        String ns = Fixtures.newNamespace(client, "immut-svc");
        var services = client.services().inNamespace(ns);
        Service created = services.resource(new ServiceBuilder().withNewMetadata().withName("kafka-0").endMetadata()
                .withNewSpec().withType("NodePort").addToSelector("app", "kafka")
                .addNewPort().withName("external").withPort(9094).withNodePort(30094).endPort().endSpec().build()).create();
        String clusterIp = created.getSpec().getClusterIP();

        Service moved = services.withName("kafka-0").get();
        moved.getSpec().setClusterIP("10.96.200.200");
        moved.getSpec().setClusterIPs(null);
        refused(() -> services.resource(moved).update(), "Service \"kafka-0\" is invalid: spec.clusterIPs[0]: Invalid value: "
                + "[]string{\"10.96.200.200\"}: may not change once set", "spec.clusterIPs[0]");
        refused(() -> services.withName("kafka-0").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"clusterIP\":\"10.96.200.201\"}}"), "Service \"kafka-0\" is invalid: spec.clusterIPs[0]: Invalid value: "
                + "[]string{\"10.96.200.201\"}: may not change once set", "spec.clusterIPs[0]");
        assertThat(services.withName("kafka-0").get().getSpec()).isEqualTo(created.getSpec());

        Service rewritten = services.withName("kafka-0").get();
        rewritten.getSpec().setClusterIP(null);
        rewritten.getSpec().setClusterIPs(null);
        rewritten.getSpec().getPorts().get(0).setNodePort(null);
        rewritten.getSpec().getPorts().get(0).setPort(9095);
        Service updated = services.resource(rewritten).update();
        assertThat(updated.getSpec().getClusterIP()).isEqualTo(clusterIp);
        assertThat(updated.getSpec().getClusterIPs()).containsExactly(clusterIp);
        assertThat(updated.getSpec().getPorts().get(0).getNodePort()).as("kept by port name").isEqualTo(30094);
        assertThat(updated.getSpec().getPorts().get(0).getPort()).isEqualTo(9095);
    }

    private static PersistentVolumeClaim request(PersistentVolumeClaim claim, String storage) {
        claim.getSpec().getResources().getRequests().put("storage", new Quantity(storage));
        return claim;
    }

    /** The write is answered 422 Invalid with exactly {@code message}, and a cause naming {@code field}. */
    private static void refused(ThrowingCallable write, String message, String field) {
        assertThatThrownBy(write).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).isEqualTo(message);
            assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).contains(field);
        });
    }
}
