package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.fold.Evolve;
import java.util.Map;
import java.util.TreeMap;

/** Folded states for builder tests, made the way the topology makes them: by folding commands. */
public final class TestStates {

    private TestStates() {
    }

    public static ClusterState created(String clusterId, int controllers, int brokers) {
        return Evolve.apply(null, Commands.on(clusterId).commandId("create-1").createCluster("4.1.0", controllers, brokers, "10Gi"));
    }

    public static ClusterState created(String clusterId, CreateCluster create) {
        return Evolve.apply(null, Commands.on(clusterId).commandId("create-1").createCluster(create));
    }

    /**
     * The state with a platform component set as the fold sets it on SetComponent (default image,
     * version 8.0.0): the spec written directly, one version later, so executor tests do not
     * depend on the fold's handling of the command.
     */
    public static ClusterState withComponent(ClusterState state, String component, int replicas, Map<String, String> config) {
        PlatformComponentSpec spec = PlatformComponentSpec.newBuilder().setReplicas(replicas)
                .setVersion(PlatformComponent.DEFAULT_VERSION).setImage(PlatformComponent.named(component).orElseThrow().defaultImage())
                .setConfig(new TreeMap<>(config)).build();
        Map<String, PlatformComponentSpec> components = new TreeMap<>(state.getSpec().getComponents());
        components.put(component, spec);
        return withComponents(state, components);
    }

    /** The state without a platform component, one version later. */
    public static ClusterState withoutComponent(ClusterState state, String component) {
        Map<String, PlatformComponentSpec> components = new TreeMap<>(state.getSpec().getComponents());
        components.remove(component);
        return withComponents(state, components);
    }

    private static ClusterState withComponents(ClusterState state, Map<String, PlatformComponentSpec> components) {
        ClusterState next = ClusterState.newBuilder(state).build();
        next.setSpec(ClusterSpec.newBuilder(state.getSpec()).setComponents(components).build());
        next.setVersion(state.getVersion() + 1);
        return next;
    }

    public static CreateCluster.Builder create(int controllers, int brokers) {
        return CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(controllers).setBrokers(brokers)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setBrokerConfig(Map.of())
                .setExternalAccess(ExternalAccess.NONE);
    }
}
