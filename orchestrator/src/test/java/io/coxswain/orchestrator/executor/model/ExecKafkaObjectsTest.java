package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kubernetes objects of a cluster, object by object. */
class ExecKafkaObjectsTest {

    private final ModelSettings settings = ModelSettings.defaults();
    private final ClusterState state = TestStates.created("payments", TestStates.create(3, 3)
            .setStorage(io.coxswain.avro.command.StorageRequest.newBuilder().setSize("100Gi").setStorageClass("fast-ssd").build()).build());
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");

    @Test
    void brokerStatefulSetLeavesRestartsToCoxswainAndClaimsTheRequestedStorage() {
        StatefulSet sts = KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings);
        assertThat(sts.getMetadata().getName()).isEqualTo("payments-broker");
        assertThat(sts.getMetadata().getNamespace()).isEqualTo("payments");
        assertThat(sts.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "kafka")
                .containsEntry("app.kubernetes.io/instance", "payments").containsEntry("app.kubernetes.io/component", "broker")
                .containsEntry("app.kubernetes.io/managed-by", "coxswain");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("payments-broker");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).doesNotContainKey("app.kubernetes.io/managed-by")
                .containsEntry("app.kubernetes.io/component", "broker");
        var claim = sts.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getMetadata().getName()).isEqualTo("data");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("100Gi"));
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    }

    @Test
    void podRunsTheSpecImageWithProbesResourcesMetricsAndSpreading() {
        StatefulSet sts = KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container kafka = pod.getContainers().get(0);
        assertThat(kafka.getImage()).isEqualTo("apache/kafka:4.1.0");
        assertThat(kafka.getCommand()).containsExactly("/bin/bash", "/etc/kafka/coxswain/start.sh");
        assertThat(kafka.getPorts()).extracting(ContainerPort::getName).containsExactly("replication", "clients", "metrics");
        assertThat(kafka.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("clients");
        assertThat(kafka.getLivenessProbe()).isNotNull();
        assertThat(kafka.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(kafka.getResources().getLimits()).containsKey("memory");
        assertThat(kafka.getEnv()).extracting(EnvVar::getName).contains("KAFKA_OPTS", "KAFKA_HEAP_OPTS", "HOST_IP").doesNotContain("KAFKA_ZONE");
        assertThat(kafka.getEnv().stream().filter(e -> e.getName().equals("KAFKA_OPTS")).findFirst().orElseThrow().getValue())
                .isEqualTo("-javaagent:/opt/jmx-exporter/jmx_prometheus_javaagent.jar=9404:/etc/kafka/metrics/jmx-exporter.yml"
                        + " -Dorg.apache.kafka.automatic.config.providers=org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        assertThat(pod.getInitContainers()).singleElement().satisfies(c -> assertThat(c.getImage()).isEqualTo(settings.jmxExporterImage()));
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(t -> assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        assertThat(pod.getTopologySpreadConstraints()).isEmpty();
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(ClusterNames.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void nodesGetTwoMinutesToStopCleanlyUnlessTheInstallationSetsAnotherGrace() {
        for (KafkaRole role : KafkaRole.values()) {
            assertThat(KafkaStatefulSets.build(state.getSpec(), names, role, 3, settings).getSpec().getTemplate().getSpec()
                    .getTerminationGracePeriodSeconds()).as(role.component()).isEqualTo(120L);
        }
        ModelSettings quick = settings.withKafkaTerminationGrace(Duration.ofSeconds(5));
        assertThat(KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, quick).getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds()).isEqualTo(5L);
    }

    @Test
    void rackAwarenessSpreadsOverZonesAndPassesTheZoneToTheNode() {
        ClusterState rack = TestStates.created("payments", TestStates.create(3, 3).setRackAware(true).build());
        PodSpec pod = KafkaStatefulSets.build(rack.getSpec(), names, KafkaRole.BROKER, 3, settings).getSpec().getTemplate().getSpec();
        assertThat(pod.getTopologySpreadConstraints()).singleElement()
                .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
        assertThat(pod.getContainers().get(0).getEnv()).extracting(EnvVar::getName).contains("KAFKA_ZONE");
    }

    @Test
    void aManualRestartMarksOnlyTheAskedRolesTemplateAndNoConfigHash() {
        Map<String, String> before = KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.BROKER, 3, settings)
                .getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(before).doesNotContainKey(ClusterNames.RESTART_ANNOTATION);
        ClusterState restarted = io.coxswain.orchestrator.fold.Evolve.apply(state,
                io.coxswain.commands.Commands.on("payments").issuer("alice").commandId("restart-1").restartCluster("brokers", null));
        Map<String, String> brokers = KafkaStatefulSets.build(restarted.getSpec(), names, KafkaRole.BROKER, 3, settings)
                .getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(brokers).containsEntry(ClusterNames.RESTART_ANNOTATION, "restart-1")
                .containsEntry(ClusterNames.CONFIG_HASH_ANNOTATION, before.get(ClusterNames.CONFIG_HASH_ANNOTATION));
        assertThat(KafkaStatefulSets.build(restarted.getSpec(), names, KafkaRole.CONTROLLER, 3, settings)
                .getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey(ClusterNames.RESTART_ANNOTATION);
        // abandoned: the annotation stays, emptied, so the live template's value is overwritten (Coxswain never removes keys it stopped setting)
        ClusterState abandoned = restarted;
        for (Command c : List.of(
                io.coxswain.commands.Commands.on("payments").issuer("exec").observation("exec", new io.coxswain.avro.command.OperationObserved(
                        "RollingRestart/restart-1", "RollingRestart", io.coxswain.avro.command.OperationState.RUNNING, "restart-1", null)),
                io.coxswain.commands.Commands.on("payments").issuer("alice").abandonOperation("RollingRestart/restart-1", null))) {
            abandoned = io.coxswain.orchestrator.fold.Evolve.apply(abandoned, c);
        }
        assertThat(KafkaStatefulSets.build(abandoned.getSpec(), names, KafkaRole.BROKER, 3, settings)
                .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(ClusterNames.RESTART_ANNOTATION, "");
    }

    @Test
    void controllerStatefulSetProbesTheQuorumPort() {
        StatefulSet sts = KafkaStatefulSets.build(state.getSpec(), names, KafkaRole.CONTROLLER, 3, settings);
        Container kafka = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(sts.getMetadata().getName()).isEqualTo("payments-controller");
        assertThat(kafka.getPorts()).extracting(ContainerPort::getName).containsExactly("controller", "metrics");
        assertThat(kafka.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("controller");
    }

    @Test
    void headlessServicesPublishPodsBeforeTheyAreReady() {
        Service svc = KafkaServices.headless(names, KafkaRole.CONTROLLER);
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(svc.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "controller");
    }

    @Test
    void bootstrapServiceSelectsBrokersOnTheClientPort() {
        Service svc = KafkaServices.bootstrap(names, state.getSpec());
        assertThat(svc.getMetadata().getName()).isEqualTo("payments-kafka-bootstrap");
        assertThat(svc.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "broker");
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(9092));
        assertThat(names.bootstrapServers()).isEqualTo("payments-kafka-bootstrap.payments.svc:9092");
        ClusterState scram = TestStates.created("payments", 3, 3);
        scram.getSpec().setScramListener(true);
        assertThat(KafkaServices.bootstrap(names, scram.getSpec()).getSpec().getPorts()).as("while the cluster has a SCRAM user")
                .extracting(p -> p.getName() + ":" + p.getPort()).containsExactly("clients:9092", "scram:9095");
    }

    @Test
    void externalAccessMakesOneServicePerBrokerOfTheAskedType() {
        ClusterState lb = TestStates.created("payments", TestStates.create(3, 2).setExternalAccess(ExternalAccess.LOAD_BALANCER).build());
        List<HasMetadata> services = DesiredCluster.externalServices(lb.getSpec(), names, 2);
        assertThat(services).extracting(o -> o.getMetadata().getName()).containsExactly("payments-broker-0-external", "payments-broker-1-external");
        Service one = (Service) services.get(1);
        assertThat(one.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(one.getSpec().getSelector()).containsEntry("statefulset.kubernetes.io/pod-name", "payments-broker-1");
        assertThat(DesiredCluster.externalServices(state.getSpec(), names, 3)).isEmpty();
        ClusterState np = TestStates.created("payments", TestStates.create(3, 1).setExternalAccess(ExternalAccess.NODE_PORT).build());
        assertThat(((Service) DesiredCluster.externalServices(np.getSpec(), names, 1).get(0)).getSpec().getType()).isEqualTo("NodePort");
        assertThat(KafkaStatefulSets.build(np.getSpec(), names, KafkaRole.BROKER, 1, settings).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getPorts()).extracting(ContainerPort::getName).contains("external");
    }

    @Test
    void withScramUsersEachExternalServiceAndBrokerPodGainAScramPortBesideExternal() {
        for (ExternalAccess access : List.of(ExternalAccess.NODE_PORT, ExternalAccess.LOAD_BALANCER)) {
            ClusterState scram = TestStates.created("payments", TestStates.create(3, 2).setExternalAccess(access).build());
            scram.getSpec().setScramListener(true);
            assertThat(DesiredCluster.externalServices(scram.getSpec(), names, 2)).as("%s", access).allSatisfy(s -> assertThat(((Service) s)
                    .getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getIntVal())
                    .containsExactly("external:9094->9094", "external-scram:9096->9096"));
            assertThat(KafkaStatefulSets.build(scram.getSpec(), names, KafkaRole.BROKER, 2, settings).getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                    .containsExactly("replication:9091", "clients:9092", "external:9094", "scram:9095", "external-scram:9096", "metrics:9404");
        }
        ClusterState inside = TestStates.created("payments", 3, 3);
        inside.getSpec().setScramListener(true);
        assertThat(KafkaStatefulSets.build(inside.getSpec(), names, KafkaRole.BROKER, 3, settings).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getPorts()).as("without external access, no port for it").extracting(ContainerPort::getName)
                .containsExactly("replication", "clients", "scram", "metrics");
        ClusterState certificatesOnly = TestStates.created("payments", TestStates.create(3, 1).setExternalAccess(ExternalAccess.NODE_PORT).build());
        assertThat(((Service) DesiredCluster.externalServices(certificatesOnly.getSpec(), names, 1).get(0)).getSpec().getPorts())
                .as("without SCRAM users, EXTERNAL alone").extracting(p -> p.getName()).containsExactly("external");
    }

    @Test
    void roleConfigMapHoldsOneFilePerPodTheStartScriptAndTheClusterId() {
        ConfigMap cm = KafkaConfigMaps.role(state.getSpec(), names, KafkaRole.BROKER, 3, 3, Map.of());
        assertThat(cm.getMetadata().getName()).isEqualTo("payments-broker-config");
        assertThat(cm.getData()).containsKeys("start.sh", "cluster-id", "server-0.properties", "server-1.properties", "server-2.properties")
                .doesNotContainKey("server-3.properties");
        assertThat(cm.getData().get("start.sh")).contains("kafka-storage.sh format --ignore-formatted").contains("server-${ordinal}.properties");
        assertThat(cm.getData().get("cluster-id")).isEqualTo(KafkaProperties.kafkaClusterId("payments"));
    }

    @Test
    void metricsConfigMapHoldsTheExporterRules() {
        ConfigMap cm = KafkaConfigMaps.metrics(names);
        assertThat(cm.getData()).containsKey("jmx-exporter.yml");
        assertThat(cm.getData().get("jmx-exporter.yml")).startsWith("lowercaseOutputName: true").contains("rules:");
    }

    @Test
    void disruptionBudgetAllowsOneNodeDown() {
        PodDisruptionBudget pdb = KafkaDisruptionBudgets.build(names, KafkaRole.BROKER);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(names.selector(KafkaRole.BROKER));
    }

    @Test
    void desiredClusterListsEverythingInApplyOrderInItsOwnNamespace() {
        DesiredCluster desired = DesiredCluster.of(state, settings, DesiredCluster.Inputs.of(state));
        assertThat(desired.namespace().getMetadata().getName()).isEqualTo("payments");
        assertThat(desired.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ConfigMap/payments-metrics", "ConfigMap/payments-controller-config", "ConfigMap/payments-broker-config",
                "Service/payments-controller", "Service/payments-broker", "Service/payments-kafka-bootstrap",
                "PodDisruptionBudget/payments-controller", "PodDisruptionBudget/payments-broker",
                "NetworkPolicy/payments-controller", "NetworkPolicy/payments-broker",
                "StatefulSet/payments-controller", "StatefulSet/payments-broker");
        assertThat(desired.objects()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("payments"));
        DesiredCluster shared = DesiredCluster.of(state, settings.withNamespaceTemplate("kafka"), DesiredCluster.Inputs.of(state));
        assertThat(shared.namespace()).isNull();
        assertThat(shared.names().namespace()).isEqualTo("kafka");
        assertThat(DesiredCluster.of(state, settings, DesiredCluster.Inputs.of(state))).isEqualTo(desired);
    }
}
