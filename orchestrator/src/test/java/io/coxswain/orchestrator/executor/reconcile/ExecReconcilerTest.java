package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.tls.Pem;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconcile chain against fabric8's mock API server in CRUD mode (no controllers: no pods). */
@EnableKubernetesMockClient(crud = true)
class ExecReconcilerTest {

    KubernetesClient client;
    private RecordingSink sink;
    private ClusterReconciler reconciler;
    private KubeObjects kube;

    @BeforeEach
    void setUp() {
        kube = new KubeObjects(client);
        // every action must be recorded while the world does not show it yet
        sink = new RecordingSink((cluster, o) -> {
            if (o instanceof ResourceActionObserved a && a.getAction() == ResourceAction.CREATE && !"Namespace".equals(a.getKind())) {
                assertThat(client.resources(kindOf(a)).inNamespace(a.getNamespace()).withName(a.getName()).get())
                        .as("%s %s recorded before it is created", a.getKind(), a.getName()).isNull();
            }
        });
        reconciler = newReconciler();
    }

    private ClusterReconciler newReconciler() {
        return newReconciler(ClusterOperations.none());
    }

    private ClusterReconciler newReconciler(ClusterOperations operations) {
        return new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), operations,
                ClusterNames::bootstrapServers);
    }

    @Test
    void createsEveryObjectRecordingEachActionBeforeItIsTaken() {
        ClusterState state = TestStates.created("payments", 3, 3);
        reconciler.reconcile(new ReconcilePass(state, "create-1"));

        assertThat(client.namespaces().withName("payments").get()).isNotNull();
        assertThat(sink.actions(ResourceAction.CREATE)).extracting(a -> a.getKind() + "/" + a.getName()).containsExactly(
                "Namespace/payments", "Secret/payments-cluster-ca", "Secret/payments-cluster-ca-cert", "Secret/payments-kafka-tls",
                "Secret/payments-operator-tls", "ConfigMap/payments-metrics", "ConfigMap/payments-controller-config", "ConfigMap/payments-broker-config",
                "Service/payments-controller", "Service/payments-broker", "Service/payments-kafka-bootstrap",
                "PodDisruptionBudget/payments-controller", "PodDisruptionBudget/payments-broker",
                "NetworkPolicy/payments-controller", "NetworkPolicy/payments-broker",
                "StatefulSet/payments-controller", "StatefulSet/payments-broker", "ConfigMap/payments-made-objects");
        assertThat(sink.actions(ResourceAction.CREATE)).allSatisfy(a -> {
            assertThat(a.getCauseCommandId()).isEqualTo("create-1");
            assertThat(a.getReason()).startsWith("cluster state v1 asks for");
        });
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(sink.of(ComponentObserved.class)).extracting(c -> c.getComponent() + " " + c.getDesired() + "/" + c.getReady())
                .containsExactlyInAnyOrder("controllers 3/0", "brokers 3/0");
        assertThat(sink.of(EndpointObserved.class)).singleElement()
                .satisfies(e -> assertThat(e.getBootstrapServers()).isEqualTo("payments-kafka-bootstrap.payments.svc:9092"));
    }

    @Test
    void aConvergedClusterIsLeftAloneAndNothingIsRecorded() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        sink.clear();
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        newReconciler().reconcile(new ReconcilePass(state, "create-1"));
        assertThat(sink.all()).isEmpty();
    }

    @Test
    void driftIsRepairedAndRecordedWithWhatWasFound() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        sink.clear();
        client.services().inNamespace("payments").withName("payments-kafka-bootstrap").delete();
        client.apps().statefulSets().inNamespace("payments").withName("payments-broker")
                .edit(s -> {
                    s.getSpec().setReplicas(5);
                    s.getMetadata().getAnnotations().put("example.com/owner", "team-a");
                    return s;
                });

        newReconciler().reconcile(new ReconcilePass(state, "create-1")); // a fresh executor knows drift from the state alone

        List<ResourceActionObserved> repairs = sink.actions(ResourceAction.REPAIR);
        assertThat(repairs).extracting(a -> a.getKind() + "/" + a.getName())
                .containsExactly("Service/payments-kafka-bootstrap", "StatefulSet/payments-broker");
        assertThat(repairs.get(1).getDetail()).isEqualTo("spec.replicas: live 5, desired 3");
        assertThat(repairs.get(0).getReason()).contains("deleted outside Coxswain");
        StatefulSet sts = client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get();
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getMetadata().getAnnotations()).as("fields Coxswain does not own stay").containsEntry("example.com/owner", "team-a");
        assertThat(client.services().inNamespace("payments").withName("payments-kafka-bootstrap").get()).isNotNull();
        assertThat(sink.actions(ResourceAction.CREATE)).isEmpty();
    }

    @Test
    void anEditBetweenTwoPassesOfTheSameExecutorIsRepairedThoughItsLastPassFoundNothingToDo() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        reconciler.reconcile(new ReconcilePass(state, "create-1")); // remembers what matched
        sink.clear();
        client.configMaps().inNamespace("payments").withName("payments-broker-config").edit(c -> {
            c.getData().put("server-0.properties", "num.network.threads=1\n");
            return c;
        });
        client.apps().statefulSets().inNamespace("payments").withName("payments-controller").edit(s -> {
            s.getSpec().setReplicas(1);
            return s;
        });

        reconciler.reconcile(new ReconcilePass(state, "create-1"));

        assertThat(sink.actions(ResourceAction.REPAIR)).extracting(a -> a.getKind() + "/" + a.getName())
                .containsExactly("ConfigMap/payments-broker-config", "StatefulSet/payments-controller");
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-controller").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getData().get("server-0.properties"))
                .doesNotContain("num.network.threads=1");
        sink.clear();
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        assertThat(sink.all()).as("repaired objects are found matching on the next pass").isEmpty();
    }

    @Test
    void anObjectWhoseLabelsWereRemovedByHandIsRepairedNotCreatedAgain() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        sink.clear();
        client.configMaps().inNamespace("payments").withName("payments-broker-config").edit(c -> {
            c.getMetadata().getLabels().clear(); // the pass lists by label: this one is read by name instead
            return c;
        });

        newReconciler().reconcile(new ReconcilePass(state, "create-1"));

        assertThat(sink.actions(ResourceAction.REPAIR)).extracting(a -> a.getKind() + "/" + a.getName())
                .containsExactly("ConfigMap/payments-broker-config");
        assertThat(sink.actions(ResourceAction.CREATE)).isEmpty();
        assertThat(client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getMetadata().getLabels())
                .containsAllEntriesOf(ClusterNames.of("payments", "{cluster}").clusterSelector());
    }

    @Test
    void aSpecChangeIsAnUpdateAndScaleOutAddsBrokers() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        sink.clear();
        ClusterState scaled = Evolve.apply(state, Commands.on("payments").commandId("scale-1").scaleBrokers(5));
        reconciler.reconcile(new ReconcilePass(scaled, "scale-1"));

        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(a -> a.getKind() + "/" + a.getName())
                .containsExactly("Secret/payments-kafka-tls", "ConfigMap/payments-broker-config", "StatefulSet/payments-broker");
        assertThat(sink.actions(ResourceAction.UPDATE)).allSatisfy(a -> assertThat(a.getCauseCommandId()).isEqualTo("scale-1"));
        assertThat(sink.actions(ResourceAction.REPAIR)).isEmpty();
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getReplicas()).isEqualTo(5);
        ConfigMap cm = client.configMaps().inNamespace("payments").withName("payments-broker-config").get();
        assertThat(cm.getData()).containsKey("server-4.properties");
    }

    @Test
    void scaleInWaitsForADrainOperationInsteadOfRemovingBrokers() {
        ClusterState five = converge(TestStates.created("payments", 3, 5));
        sink.clear();
        ClusterState three = Evolve.apply(five, Commands.on("payments").commandId("scale-2").scaleBrokers(3));
        reconciler.reconcile(new ReconcilePass(three, "scale-2"));
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getReplicas()).isEqualTo(5);
        assertThat(sink.of(ResourceActionObserved.class)).isEmpty();
    }

    @Test
    void theDriversTrustTheCaTheTlsStepMadeInTheSamePassNotACopyThatExpiresLater() {
        List<String> trusted = new ArrayList<>();
        ClusterReconciler withDrivers = newReconciler(new ClusterOperations() {
            @Override
            public boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
                trusted.add(access.map(ClusterAccess::caCertificate).orElse("no CA"));
                return true;
            }

            @Override
            public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
                return running;
            }
        });
        ClusterState state = TestStates.created("payments", 3, 3);
        withDrivers.reconcile(new ReconcilePass(state, "create-1"));
        String first = caCertificateSecret();
        assertThat(trusted).containsExactly(first);

        // the CA is lost; the TLS step's next full check (here at once: a scale-out changes the shape) makes a new one
        client.secrets().inNamespace("payments").withName("payments-cluster-ca").delete();
        ClusterState scaled = Evolve.apply(state, Commands.on("payments").commandId("scale-1").scaleBrokers(4));
        withDrivers.reconcile(new ReconcilePass(scaled, "scale-1"));

        String second = caCertificateSecret();
        assertThat(second).isNotEqualTo(first);
        assertThat(trusted).as("the pass that made the new CA hands it to the drivers").containsExactly(first, second);
    }

    /** A platform component reads the CA file once, at start: new CA certificates must reach it through new pods. */
    @Test
    void newClusterCaCertificatesRollThePlatformComponentsAndNothingElseDoes() {
        ClusterState state = converge(TestStates.withComponent(TestStates.created("payments", 3, 3), "schema-registry", 2, Map.of()));
        String before = trustHash();
        assertThat(before).isNotBlank();
        sink.clear();
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        assertThat(sink.all()).as("an unchanged CA changes nothing").isEmpty();

        client.secrets().inNamespace("payments").withName("payments-cluster-ca").delete();
        ClusterState scaled = Evolve.apply(state, Commands.on("payments").commandId("scale-1").scaleBrokers(4)); // a shape change: checked at once
        reconciler.reconcile(new ReconcilePass(scaled, "scale-1"));
        assertThat(trustHash()).as("the template changes, so Kubernetes rolls the pods").isNotEqualTo(before);
        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(a -> a.getKind() + "/" + a.getName()).contains("StatefulSet/payments-schema-registry");
    }

    private String trustHash() {
        return client.apps().statefulSets().inNamespace("payments").withName("payments-schema-registry").get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(io.coxswain.orchestrator.executor.model.ComponentPodTemplate.CLUSTER_TRUST_ANNOTATION);
    }

    @Test
    void theRemovedBrokersCertificatesLeaveThePassAfterTheStatefulSetShrinks() {
        ClusterReconciler drained = newReconciler(new ClusterOperations() {
            @Override
            public boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
                return true;
            }

            @Override
            public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
                return pass.state().getSpec().getBrokers(); // a scale-in that has drained the leaving brokers
            }
        });
        ClusterState five = TestStates.created("payments", 3, 5);
        drained.reconcile(new ReconcilePass(five, "create-1"));
        five = fold(five, sink.all());
        sink.clear();

        ClusterState three = Evolve.apply(five, Commands.on("payments").commandId("scale-2").scaleBrokers(3));
        drained.reconcile(new ReconcilePass(three, "scale-2"));
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(ResourceActionObserved::getName).doesNotContain("payments-kafka-tls");
        assertThat(nodeCertificates()).as("the pass that shrinks the StatefulSet began with its 5 pods running").contains("payments-broker-4.crt");

        three = fold(three, sink.all());
        sink.clear();
        drained.reconcile(new ReconcilePass(three, "scale-2"));
        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(ResourceActionObserved::getName).containsExactly("payments-kafka-tls");
        assertThat(nodeCertificates()).contains("payments-broker-2.crt").doesNotContain("payments-broker-3.crt", "payments-broker-4.key");
    }

    @Test
    void pauseStopsActionsButNotObservations() {
        ClusterState state = converge(TestStates.created("payments", 3, 3));
        ClusterState paused = Evolve.apply(state, Commands.on("payments").commandId("pause-1").pause("maintenance"));
        sink.clear();
        client.services().inNamespace("payments").withName("payments-kafka-bootstrap").delete();
        client.apps().statefulSets().inNamespace("payments").withName("payments-controller").delete();

        reconciler.reconcile(new ReconcilePass(paused, "pause-1"));
        assertThat(sink.of(ResourceActionObserved.class)).isEmpty();
        assertThat(client.services().inNamespace("payments").withName("payments-kafka-bootstrap").get()).isNull();
        assertThat(sink.of(ComponentObserved.class)).as("the vanished controllers are still reported")
                .singleElement().satisfies(c -> assertThat(c.getDesired()).isZero());

        ClusterState resumed = Evolve.apply(paused, Commands.on("payments").commandId("resume-1").resume());
        reconciler.reconcile(new ReconcilePass(resumed, "resume-1"));
        assertThat(sink.actions(ResourceAction.REPAIR)).extracting(ResourceActionObserved::getName)
                .containsExactly("payments-kafka-bootstrap", "payments-controller");
    }

    @Test
    void deleteKeepsTheVolumesAndTheirNamespaceUnlessAsked() {
        ClusterState state = converge(TestStates.created("payments", 1, 1));
        addClaim("data-payments-broker-0", "broker");
        sink.clear();
        ClusterState deleting = Evolve.apply(state, Commands.on("payments").commandId("delete-1").deleteCluster(false));
        reconciler.reconcile(new ReconcilePass(deleting, "delete-1"));

        for (Class<? extends HasMetadata> kind : KubeObjects.OWNED_KINDS) {
            assertThat(client.resources(kind).inNamespace("payments").list().getItems()).as(kind.getSimpleName()).isEmpty();
        }
        assertThat(client.persistentVolumeClaims().inNamespace("payments").list().getItems()).hasSize(1);
        assertThat(client.namespaces().withName("payments").get()).isNotNull();
        // 12 objects, the record of them and the 4 TLS Secrets (CA, CA certificate, nodes', Coxswain's own client certificate)
        assertThat(sink.actions(ResourceAction.DELETE)).hasSize(17).allSatisfy(a -> assertThat(a.getCauseCommandId()).isEqualTo("delete-1"));
        assertThat(sink.of(ClusterRemovedObserved.class)).singleElement().satisfies(r -> assertThat(r.getVolumesDeleted()).isFalse());
    }

    @Test
    void deleteWithVolumesRemovesTheClaimsAndTheNamespace() {
        ClusterState state = converge(TestStates.created("payments", 1, 1));
        addClaim("data-payments-broker-0", "broker");
        addClaim("data-payments-controller-0", "controller");
        sink.clear();
        ClusterState deleting = Evolve.apply(state, Commands.on("payments").commandId("delete-2").deleteCluster(true));
        reconciler.reconcile(new ReconcilePass(deleting, "delete-2"));

        assertThat(client.persistentVolumeClaims().inNamespace("payments").list().getItems()).isEmpty();
        assertThat(client.namespaces().withName("payments").get()).isNull();
        assertThat(sink.actions(ResourceAction.DELETE)).extracting(ResourceActionObserved::getKind)
                .contains("PersistentVolumeClaim", "Namespace");
        ClusterState removed = fold(deleting, sink.all());
        assertThat(removed.getStatus().getPhase()).isEqualTo(Phases.DELETED);
        sink.clear();
        reconciler.reconcile(new ReconcilePass(removed, "delete-2"));
        assertThat(sink.all()).as("a deleted cluster is left alone").isEmpty();
    }

    @Test
    void externalAccessAdvertisesTheNodePortOnceKubernetesAssignedIt() {
        ClusterState state = TestStates.created("payments", TestStates.create(1, 1).setExternalAccess(ExternalAccess.NODE_PORT).build());
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        Service external = client.services().inNamespace("payments").withName("payments-broker-0-external").get();
        assertThat(external.getSpec().getType()).isEqualTo("NodePort");
        assertThat(client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getData().get("server-0.properties"))
                .doesNotContain("EXTERNAL://");

        // the API server assigns the node port (the mock does not: do it as it would)
        client.services().inNamespace("payments").withName("payments-broker-0-external").edit(s -> {
            s.getSpec().getPorts().get(0).setNodePort(31234);
            return s;
        });
        sink.clear();
        reconciler.reconcile(new ReconcilePass(fold(state, List.of()), "create-1"));
        assertThat(client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getData().get("server-0.properties"))
                .contains("EXTERNAL://@HOST_IP@:31234");
        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(ResourceActionObserved::getName).containsExactly("payments-broker-config");
    }

    @Test
    void aLoadBalancersAddressIsAdvertisedAndJoinsTheBrokersCertificateInOnePass() throws Exception {
        ClusterState state = TestStates.created("payments", TestStates.create(1, 1).setExternalAccess(ExternalAccess.LOAD_BALANCER).build());
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        String configHash = brokerConfigHash();

        // the cloud provider gives the load balancer an IP (the mock does not: write its status as it would)
        client.services().inNamespace("payments").withName("payments-broker-0-external").editStatus(s -> {
            s.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("203.0.113.10").endIngress().endLoadBalancer().build());
            return s;
        });
        sink.clear();
        reconciler.reconcile(new ReconcilePass(fold(state, List.of()), "create-1"));

        assertThat(client.configMaps().inNamespace("payments").withName("payments-broker-config").get().getData().get("server-0.properties"))
                .contains("EXTERNAL://203.0.113.10:");
        X509Certificate broker = Pem.certificate(TlsSecrets.decoded(client.secrets().inNamespace("payments").withName("payments-kafka-tls").get())
                .get("payments-broker-0.crt"));
        assertThat(broker.getSubjectAlternativeNames()).contains(List.of(7, "203.0.113.10"));
        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(ResourceActionObserved::getName).contains("payments-kafka-tls", "payments-broker-config");
        assertThat(brokerConfigHash()).as("the broker rolls to serve its new address with its new certificate").isNotEqualTo(configHash);
    }

    /** Reconciles and folds what was observed into the state, as the topology would. */
    private ClusterState converge(ClusterState state) {
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        return fold(state, sink.all());
    }

    private static ClusterState fold(ClusterState state, List<Object> observations) {
        ClusterState s = state;
        for (Object o : observations) {
            s = Evolve.apply(s, Commands.on(s.getClusterId()).commandId("obs-" + s.getVersion()).observation("test", o));
        }
        return s;
    }

    private String brokerConfigHash() {
        return client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(ClusterNames.CONFIG_HASH_ANNOTATION);
    }

    private String caCertificateSecret() {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName("payments-cluster-ca-cert").get()).get("ca.crt");
    }

    private Set<String> nodeCertificates() {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName("payments-kafka-tls").get()).keySet();
    }

    private void addClaim(String name, String component) {
        client.persistentVolumeClaims().inNamespace("payments").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withLabels(ClusterNames.of("payments", "{cluster}").labels(component)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends HasMetadata> kindOf(ResourceActionObserved a) {
        return switch (a.getKind()) {
            case "ConfigMap" -> ConfigMap.class;
            case "Service" -> Service.class;
            case "StatefulSet" -> StatefulSet.class;
            case "PodDisruptionBudget" -> io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class;
            case "NetworkPolicy" -> io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class;
            case "Secret" -> io.fabric8.kubernetes.api.model.Secret.class;
            default -> throw new IllegalArgumentException(a.getKind());
        };
    }
}
