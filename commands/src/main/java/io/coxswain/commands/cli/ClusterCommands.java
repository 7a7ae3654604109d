package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.shape.ThrottleShape;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Commands that change a cluster as a whole. */
final class ClusterCommands {

    private ClusterCommands() {
    }

    static ObjectNode object() {
        return GatewayClient.JSON.createObjectNode();
    }

    /** The payload with its optional {@code reason}, left out when not given. */
    static ObjectNode withReason(ObjectNode payload, String reason) {
        return reason == null ? payload : payload.put("reason", reason);
    }

    /** Who asked for a pending request ({@code spec.rebalance}, {@code spec.caReplacement}), when, and by which command. */
    static String askedBy(JsonNode request) {
        return "asked by " + Output.text(request, "issuer") + " at " + Output.text(request, "requestedAt")
                + " (command " + Output.text(request, "commandId") + ")";
    }

    @Command(name = "create-cluster", mixinStandardHelpOptions = true, description = {"Create a Kafka cluster; with --require, born with",
            "its approval policy (see cox approvals policy), so that no change is ever",
            "made to it without another person's approval."})
    static final class CreateCluster implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "Cluster id (a DNS label).") String cluster;
        @Option(names = "--kafka-version", required = true, description = "Kafka release, e.g. 4.1.0.") String kafkaVersion;
        @Option(names = "--brokers", defaultValue = "3", description = "Brokers (default: ${DEFAULT-VALUE}).") int brokers;
        @Option(names = "--controllers", defaultValue = "3", description = "KRaft controllers: 1, 3 or 5 (default: ${DEFAULT-VALUE}).") int controllers;
        @Option(names = "--storage", defaultValue = "10Gi", description = "Volume per broker (default: ${DEFAULT-VALUE}).") String storage;
        @Option(names = "--storage-class", description = "Kubernetes storage class.") String storageClass;
        @Option(names = "--image", description = "Image repository (default apache/kafka).") String image;
        @Option(names = "--config", description = "Broker setting KEY=VALUE (repeatable).") Map<String, String> config = Map.of();
        @Option(names = "--rack-aware", description = "Spread replicas across zones.") boolean rackAware;
        @Option(names = "--external-access", defaultValue = "NONE", description = "NONE, NODE_PORT or LOAD_BALANCER (default: ${DEFAULT-VALUE}).") String externalAccess;
        @Option(names = "--client-authentication", defaultValue = "NONE",
                description = "NONE, or TLS: applications present a certificate Coxswain issued (cox create-user) and ACLs apply"
                        + " (default: ${DEFAULT-VALUE}).") String clientAuthentication;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for selecting clusters, e.g. team=payments (repeatable);"
                + " change them later with cox label.") Map<String, String> labels = Map.of();
        @Mixin ResourcesCommand.CreateOptions sizing;
        /** Born with four eyes: never a moment, not even between two commands, when a change needs no approval. */
        @Mixin ApprovalsCommand.Requirement policy;

        @Override
        public Integer call() {
            ObjectNode p = object().put("kafkaVersion", kafkaVersion).put("controllers", controllers).put("brokers", brokers)
                    .put("rackAware", rackAware).put("externalAccess", externalAccess).put("clientAuthentication", clientAuthentication);
            ObjectNode s = p.putObject("storage").put("size", storage);
            if (storageClass != null) {
                s.put("storageClass", storageClass);
            }
            if (image != null) {
                p.put("image", image);
            }
            ObjectNode c = p.putObject("brokerConfig");
            config.forEach(c::put);
            if (!labels.isEmpty()) {
                ObjectNode l = p.putObject("labels");
                labels.forEach(l::put);
            }
            sizing.addTo(p);
            policy.ifRequired().ifPresent(a -> p.set("approvalPolicy", a));
            return submit.send(cox, cluster, "CreateCluster", p);
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true, description = "Change the number of brokers.")
    static final class Scale implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--brokers", required = true, description = "The new number of brokers.") int brokers;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "ScaleBrokers", object().put("brokers", brokers));
        }
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true, description = "Roll the cluster to another Kafka release.")
    static final class Upgrade implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--kafka-version", required = true, description = "Target Kafka release.") String kafkaVersion;
        @Option(names = "--allow-downgrade", description = "Allow an older release.") boolean allowDowngrade;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "UpgradeKafka", object().put("kafkaVersion", kafkaVersion).put("allowDowngrade", allowDowngrade));
        }
    }

    @Command(name = "rebalance", mixinStandardHelpOptions = true, description = {
            "Spread the replicas and preferred leaders of every topic evenly over the",
            "cluster's brokers (and racks), moving as little data as it can, throttled.",
            "It runs as an operation of its own (Rebalance, phase Rebalancing): follow",
            "it with cox operation show CLUSTER. Needs 2 or more brokers and no other",
            "operation running; cox get CLUSTER shows it pending until it is done."})
    static final class Rebalance implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--reason", description = "Why (kept in the log): a broker replaced, topics created unevenly, a hot broker.") String reason;
        @Option(names = "--throttle", paramLabel = "RATE", description = "Replication throttle per broker while data moves: bytes per second,"
                + " or 512KiB, 50MiB, 1GiB; from 1MiB to 10GiB (default: the installation's, 50MiB).") String throttle;

        @Override
        public Integer call() {
            ObjectNode p = withReason(object(), reason);
            if (throttle != null) {
                p.put("throttleBytesPerSecond", Rates.bytesPerSecond("--throttle", throttle));
            }
            return submit.send(cox, cluster, "RebalanceCluster", p);
        }

        /** Under {@code cox get CLUSTER}: the rebalance asked for and not done yet ({@code spec.rebalance}); nothing when there is none. */
        static void printPending(PrintWriter out, JsonNode rebalance) {
            if (!rebalance.isObject()) {
                return;
            }
            String throttle = rebalance.hasNonNull("throttleBytesPerSecond")
                    ? ThrottleShape.format(rebalance.get("throttleBytesPerSecond").asLong()) + " per broker" : "the installation's default";
            out.println();
            out.println("rebalance pending: " + askedBy(rebalance) + ", throttle " + throttle
                    + (rebalance.hasNonNull("reason") ? "; reason: " + rebalance.get("reason").asText() : ""));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause reconciliation of a cluster.")
    static final class Pause implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--reason", description = "Why (shown in the cluster's state).") String reason;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "PauseReconciliation", withReason(object(), reason));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume reconciliation of a cluster.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "ResumeReconciliation", object());
        }
    }

    @Command(name = "delete-cluster", mixinStandardHelpOptions = true, description = "Delete a cluster.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--delete-volumes", description = "Also delete the brokers' volumes (data is lost).") boolean deleteVolumes;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "DeleteCluster", object().put("deleteVolumes", deleteVolumes));
        }
    }
}
