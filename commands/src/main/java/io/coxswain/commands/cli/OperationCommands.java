package io.coxswain.commands.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Day-2 control: {@code cox restart CLUSTER} and {@code cox operation retry|abandon CLUSTER OPERATION_ID}. */
final class OperationCommands {

    private OperationCommands() {
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Roll a component's pods one at a time through the same safety checks as an upgrade (restart reason Manual).")
    static final class Restart implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--component", defaultValue = "all", description = "brokers, controllers or all (default: ${DEFAULT-VALUE}).") String component;
        @Option(names = "--reason", description = "Why (kept in the log).") String reason;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "RestartCluster", ClusterCommands.withReason(ClusterCommands.object().put("component", component), reason));
        }
    }

    /** {@code cox operation retry|abandon CLUSTER OPERATION_ID}: the id is {@code status.operation.operationId} ({@code cox get CLUSTER -o yaml}). */
    @Command(name = "operation", mixinStandardHelpOptions = true, description = "Retry or abandon a cluster's failed or stuck operation.",
            subcommands = {Retry.class, Abandon.class})
    static final class Operation {
        @ParentCommand Cox cox;
    }

    /** What retry and abandon share: the operation named, and why. */
    abstract static class Control implements Callable<Integer> {
        @ParentCommand Operation parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "OPERATION_ID", description = "status.operation.operationId") String operationId;
        @Option(names = "--reason", description = "Why (kept in the log).") String reason;

        abstract String type();

        @Override
        public Integer call() {
            return submit.send(parent.cox, cluster, type(), ClusterCommands.withReason(ClusterCommands.object().put("operationId", operationId), reason));
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Resume a FAILED operation at the step it failed.")
    static final class Retry extends Control {
        @Override
        String type() {
            return "RetryOperation";
        }
    }

    @Command(name = "abandon", mixinStandardHelpOptions = true, description = "Stop a FAILED or stuck RUNNING operation for good.")
    static final class Abandon extends Control {
        @Override
        String type() {
            return "AbandonOperation";
        }
    }
}
