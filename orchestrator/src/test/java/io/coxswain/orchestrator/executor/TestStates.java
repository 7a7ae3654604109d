package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Evolve;
import java.util.Map;

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

    public static CreateCluster.Builder create(int controllers, int brokers) {
        return CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(controllers).setBrokers(brokers)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setBrokerConfig(Map.of())
                .setExternalAccess(ExternalAccess.NONE);
    }
}
