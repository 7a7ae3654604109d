package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The sizing of a cluster's controllers and brokers: {@code cox update-resources}, the options {@code create-cluster} takes for
 * it, and {@code cox expand-storage} for their volumes.
 */
final class ResourcesCommand {

    private ResourcesCommand() {
    }

    /** {@code payload}, with the sizing values given (the fields of RoleResources and UpdateResources); a value not given is left out. */
    static ObjectNode sizing(ObjectNode payload, String cpu, String cpuLimit, String memory, String heap) {
        putIfGiven(payload, "cpuRequest", cpu);
        putIfGiven(payload, "cpuLimit", cpuLimit);
        putIfGiven(payload, "memory", memory);
        putIfGiven(payload, "heap", heap);
        return payload;
    }

    private static void putIfGiven(ObjectNode payload, String field, String value) {
        if (value != null) {
            payload.put(field, value);
        }
    }

    /** The sizing options of {@code create-cluster}: per role, each left to the installation's default when not given. */
    static final class CreateOptions {
        @Option(names = "--controller-cpu", paramLabel = "CPU", description = "CPU request of each controller, e.g. 500m or 2.") String controllerCpu;
        @Option(names = "--controller-cpu-limit", paramLabel = "CPU", description = "CPU limit of each controller (at least its request).") String controllerCpuLimit;
        @Option(names = "--controller-memory", paramLabel = "QUANTITY", description = "Memory of each controller (request = limit), e.g. 2Gi; needs --controller-heap.") String controllerMemory;
        @Option(names = "--controller-heap", paramLabel = "SIZE", description = "JVM heap of each controller, e.g. 1g; at most 75% of its memory.") String controllerHeap;
        @Option(names = "--broker-cpu", paramLabel = "CPU", description = "CPU request of each broker, e.g. 500m or 2.") String brokerCpu;
        @Option(names = "--broker-cpu-limit", paramLabel = "CPU", description = "CPU limit of each broker (at least its request).") String brokerCpuLimit;
        @Option(names = "--broker-memory", paramLabel = "QUANTITY", description = "Memory of each broker (request = limit), e.g. 8Gi; needs --broker-heap.") String brokerMemory;
        @Option(names = "--broker-heap", paramLabel = "SIZE", description = "JVM heap of each broker, e.g. 6g; at most 75% of its memory.") String brokerHeap;

        /** Adds {@code resources} to a CreateCluster payload when any option is given: without them the cluster runs on the defaults. */
        void addTo(ObjectNode payload) {
            ObjectNode controllers = sizing(ClusterCommands.object(), controllerCpu, controllerCpuLimit, controllerMemory, controllerHeap);
            ObjectNode brokers = sizing(ClusterCommands.object(), brokerCpu, brokerCpuLimit, brokerMemory, brokerHeap);
            if (controllers.isEmpty() && brokers.isEmpty()) {
                return;
            }
            ObjectNode resources = payload.putObject("resources");
            if (!controllers.isEmpty()) {
                resources.set("controllers", controllers);
            }
            if (!brokers.isEmpty()) {
                resources.set("brokers", brokers);
            }
        }
    }

    @Command(name = "update-resources", mixinStandardHelpOptions = true,
            description = "Resize the controllers' or the brokers' pods; a value not given keeps its current one, the value 'default' puts it back"
                    + " to the installation's. Running pods roll one at a time.")
    static final class Update implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--role", required = true, description = "brokers or controllers.") String role;
        @Option(names = "--cpu", paramLabel = "CPU", description = "CPU request, e.g. 500m or 2, or default.") String cpu;
        @Option(names = "--cpu-limit", paramLabel = "CPU", description = "CPU limit (at least the request), or default (none).") String cpuLimit;
        @Option(names = "--memory", paramLabel = "QUANTITY", description = "Memory (request = limit), e.g. 8Gi, or default (with --heap default).") String memory;
        @Option(names = "--heap", paramLabel = "SIZE", description = "JVM heap, e.g. 6g; at most 75% of the memory; or default.") String heap;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "UpdateResources", sizing(ClusterCommands.object().put("role", role), cpu, cpuLimit, memory, heap));
        }
    }

    @Command(name = "expand-storage", mixinStandardHelpOptions = true,
            description = "Grow the data volume of every controller and broker, and of those added later, to a larger size. No pod"
                    + " restarts; volumes never shrink, and their storage class must allow expansion.")
    static final class ExpandStorage implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--size", required = true, paramLabel = "QUANTITY", description = "The new size of each volume, e.g. 200Gi (Mi, Gi or Ti).") String size;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "ExpandStorage", ClusterCommands.object().put("size", size));
        }
    }
}
