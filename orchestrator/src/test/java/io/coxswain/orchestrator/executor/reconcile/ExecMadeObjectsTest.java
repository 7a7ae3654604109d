package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MadeObjectsRecord;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A missing object is a REPAIR only when Coxswain made it before, as its record of made objects says ({@link MadeObjects}):
 * what a newer Coxswain adds to a cluster an older one made is a CREATE. Each pass here is by a fresh reconciler, as after
 * an executor restart or a rebalance to another executor: nothing is remembered in memory. Against fabric8's mock API
 * server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class ExecMadeObjectsTest {

    private static final String ID = "payments";

    KubernetesClient client;
    private RecordingSink sink;
    private KubeObjects kube;

    @BeforeEach
    void setUp() {
        kube = new KubeObjects(client);
        sink = new RecordingSink();
    }

    @Test
    void whatANewerCoxswainAddsIsCreatedOnceAndRepairedOnlyAfterSomeoneDeletesIt() {
        // the world a Coxswain without NetworkPolicies, and without the record, left: its workloads reported in the state
        ClusterState state = pass(ModelSettings.defaults().withNetworkPolicies(false), TestStates.created(ID, 3, 3), "create-1");
        client.configMaps().inNamespace(ID).withName("payments-made-objects").delete();
        assertThat(state.getStatus().getComponents()).containsKeys("controllers", "brokers");
        sink.clear();

        state = pass(ModelSettings.defaults(), state, "resync");

        assertThat(actions(ResourceAction.CREATE)).containsExactly(
                "NetworkPolicy/payments-controller", "NetworkPolicy/payments-broker", "ConfigMap/payments-made-objects");
        assertThat(actions(ResourceAction.REPAIR)).as("nobody deleted anything").isEmpty();
        assertThat(MadeObjectsRecord.keys(record())).contains("NetworkPolicy/payments-controller", "NetworkPolicy/payments-broker",
                "StatefulSet/payments-broker", "Service/payments-kafka-bootstrap").doesNotContain("ConfigMap/payments-made-objects");

        client.network().v1().networkPolicies().inNamespace(ID).withName("payments-broker").delete();
        sink.clear();
        pass(ModelSettings.defaults(), state, "resync");

        assertThat(sink.actions(ResourceAction.REPAIR)).singleElement().satisfies(a -> {
            assertThat(a.getKind() + "/" + a.getName()).isEqualTo("NetworkPolicy/payments-broker");
            assertThat(a.getReason()).isEqualTo("NetworkPolicy payments-broker was missing (deleted outside Coxswain); re-creating it");
        });
        assertThat(actions(ResourceAction.CREATE)).isEmpty();
    }

    @Test
    void aComponentRemovedLeavesTheRecordSoAddingItAgainIsACreate() {
        ClusterState state = pass(ModelSettings.defaults(), TestStates.withComponent(TestStates.created(ID, 1, 1), "schema-registry", 1,
                Map.of()), "set-sr");
        assertThat(MadeObjectsRecord.keys(record())).contains("StatefulSet/payments-schema-registry");
        state = pass(ModelSettings.defaults(), TestStates.withoutComponent(state, "schema-registry"), "remove-sr");
        assertThat(MadeObjectsRecord.keys(record())).noneMatch(k -> k.contains("schema-registry"));
        sink.clear();

        pass(ModelSettings.defaults(), TestStates.withComponent(state, "schema-registry", 1, Map.of()), "set-sr-2");

        assertThat(actions(ResourceAction.CREATE)).contains("StatefulSet/payments-schema-registry", "Service/payments-schema-registry");
        assertThat(actions(ResourceAction.REPAIR)).isEmpty();
    }

    /** One pass by a fresh reconciler; the state with what it recorded folded in. */
    private ClusterState pass(ModelSettings settings, ClusterState state, String cause) {
        int before = sink.all().size();
        new ClusterReconciler(kube, settings, new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers).reconcile(new ReconcilePass(state, cause));
        ClusterState s = state;
        for (Object o : sink.all().subList(before, sink.all().size())) {
            s = Evolve.apply(s, Commands.on(ID).commandId("obs-" + s.getVersion()).observation("test", o));
        }
        return s;
    }

    private ConfigMap record() {
        return client.configMaps().inNamespace(ID).withName("payments-made-objects").get();
    }

    private List<String> actions(ResourceAction action) {
        return sink.actions(action).stream().map((ResourceActionObserved a) -> a.getKind() + "/" + a.getName()).toList();
    }
}
