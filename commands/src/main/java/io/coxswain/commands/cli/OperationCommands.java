package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Day-2 control: {@code cox restart CLUSTER} and {@code cox operation show|retry|abandon CLUSTER [OPERATION_ID]}. */
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

    /** {@code cox operation show|retry|abandon}: the id retry and abandon need is the one {@code show} prints. */
    @Command(name = "operation", mixinStandardHelpOptions = true, description = "Show, retry or abandon a cluster's operation (upgrade, roll, scale).",
            subcommands = {Show.class, Retry.class, Abandon.class})
    static final class Operation {
        @ParentCommand Cox cox;
    }

    /** The cluster's current (or last) operation as the log has it: what, which attempt, how far, each step, and what to do next. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the cluster's current or last operation, step by step.")
    static final class Show implements Callable<Integer> {
        @ParentCommand Operation parent;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            PrintWriter out = parent.cox.out();
            JsonNode c = ReadCommands.cluster(parent.cox, cluster, "");
            JsonNode op = c.at("/status/operation");
            if (op.isMissingNode() || op.isNull()) {
                if (format == Output.Format.table) {
                    out.println("cluster " + cluster + " has run no operation (version " + Output.text(c, "version") + ", phase "
                            + Output.text(c, "status/phase") + ")");
                } else {
                    ReadCommands.render(out, format, GatewayClient.JSON.nullNode(), () -> { });
                }
                return 0;
            }
            ReadCommands.render(out, format, op, () -> table(out, op));
            return 0;
        }

        void table(PrintWriter out, JsonNode op) {
            String progress = OperationProgress.of(op);
            Output.table(out, List.of("OPERATION", "TYPE", "STATE", "ATTEMPT", "PROGRESS", "CAUSE", "UPDATED"),
                    List.of(List.of(Output.text(op, "operationId"), Output.text(op, "operation"), Output.text(op, "state"), Output.text(op, "attempt"),
                            progress, Output.text(op, "causeCommandId"), Output.text(op, "updatedAt"))));
            if (op.hasNonNull("reason")) {
                out.println("reason: " + op.get("reason").asText());
            }
            List<List<String>> steps = new ArrayList<>();
            op.path("steps").forEach(s -> steps.add(List.of(Output.text(s, "at"), Output.text(s, "step"), Output.text(s, "node"),
                    Output.text(s, "state"), Output.text(s, "reason"))));
            out.println();
            if (steps.isEmpty()) {
                out.println("no steps recorded yet");
            } else {
                Output.table(out, List.of("AT", "STEP", "NODE", "STATE", "REASON"), steps);
            }
            String id = Output.text(op, "operationId");
            switch (Output.text(op, "state")) {
                case "FAILED" -> out.println("\nnext: cox operation retry " + cluster + " " + id + " --reason '...'   (resumes at the failed step)"
                        + "\n  or: cox operation abandon " + cluster + " " + id + " --reason '...'");
                case "RUNNING" -> out.println("\nif it is stuck: cox operation abandon " + cluster + " " + id + " --reason '...'");
                default -> { }
            }
        }
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
