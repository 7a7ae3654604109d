package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.TopicRefusalReasons;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox topic create|update|partitions|replication-factor|delete CLUSTER TOPIC ...}. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Manage topics of a cluster.",
        subcommands = {TopicCommand.Create.class, TopicCommand.Update.class, TopicCommand.Partitions.class,
                       TopicCommand.ReplicationFactor.class, TopicCommand.Delete.class})
final class TopicCommand {

    @ParentCommand Cox cox;

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Create a topic.",
            "Kafka judges the --config values when the executor creates it:",
            "cox get CLUSTER lists a topic Kafka refuses, with its reason."})
    static final class Create implements Callable<Integer> {
        @ParentCommand TopicCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "TOPIC") String topic;
        @Option(names = "--partitions", defaultValue = "6", description = "(default: ${DEFAULT-VALUE})") int partitions;
        @Option(names = "--replication-factor", defaultValue = "3", description = "(default: ${DEFAULT-VALUE})") int replicationFactor;
        @Option(names = "--config", description = "Topic setting KEY=VALUE (repeatable).") Map<String, String> config = Map.of();

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", topic).put("partitions", partitions).put("replicationFactor", replicationFactor);
            ObjectNode c = p.putObject("config");
            config.forEach(c::put);
            return submit.send(parent.cox, cluster, "CreateTopic", p);
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = {"Change a topic's settings.",
            "Also the fix for a topic Kafka refuses (cox get CLUSTER says why):",
            "set the value it names again, or remove the key."})
    static final class Update implements Callable<Integer> {
        @ParentCommand TopicCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "TOPIC") String topic;
        @Option(names = "--set", description = "KEY=VALUE to set (repeatable).") Map<String, String> set = Map.of();
        @Option(names = "--remove", description = "KEY to remove (repeatable).") List<String> remove = List.of();

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", topic);
            ObjectNode s = p.putObject("set");
            set.forEach(s::put);
            ArrayNode r = p.putArray("remove");
            remove.forEach(r::add);
            return submit.send(parent.cox, cluster, "UpdateTopicConfig", p);
        }
    }

    // one short line each: picocli wraps at 80 columns
    @Command(name = "partitions", mixinStandardHelpOptions = true, description = {
            "Raise a topic's partition count to a new total.",
            "Kafka cannot lower it again: fewer partitions means a new topic.",
            "A key's partition changes with the count: consumers that rely on",
            "the order of a key's records see a new layout from then on."})
    static final class Partitions implements Callable<Integer> {
        @ParentCommand TopicCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "TOPIC") String topic;
        @Option(names = "--partitions", required = true, paramLabel = "N",
                description = "The new total, more than the topic has (not the number to add).") int partitions;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", topic).put("partitions", partitions);
            return submit.send(parent.cox, cluster, "IncreasePartitions", p);
        }
    }

    @Command(name = "replication-factor", mixinStandardHelpOptions = true, description = {
            "Raise or lower a topic's replication factor.",
            "Up to at most the cluster's brokers; the executor copies the new",
            "replicas, throttled, once no operation runs. Down keeps each",
            "partition's leader: lower it to make room for a scale-in.",
            "It must stay above the topic's min.insync.replicas (when 2 or more).",
            "Follow it with cox get CLUSTER: the topic is listed under",
            "Replication factor changes, with how many partitions have the",
            "factor, until all do (status.replication in -o json)."})
    static final class ReplicationFactor implements Callable<Integer> {
        @ParentCommand TopicCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "TOPIC") String topic;
        @Option(names = "--replication-factor", required = true, paramLabel = "N",
                description = "The new number of replicas of each partition.") int replicationFactor;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", topic).put("replicationFactor", replicationFactor);
            int code = submit.send(parent.cox, cluster, "ChangeReplicationFactor", p);
            if (!submit.dryRun && submit.format == Output.Format.table) {
                parent.cox.out().println("follow its progress with: cox get " + cluster);
            }
            return code;
        }
    }

    /**
     * Under {@code cox get CLUSTER}: each topic whose replication factor is being changed ({@code status.replication}),
     * how many of its partitions have the factor, how many move now, since when, and why it is blocked if it is;
     * nothing when every topic has its factor.
     */
    static void printReplication(PrintWriter out, JsonNode replication) {
        if (replication.isEmpty()) {
            return;
        }
        out.println();
        out.println("Replication factor changes:");
        replication.fields().forEachRemaining(topic -> {
            JsonNode r = topic.getValue();
            out.println("  " + topic.getKey() + ": RF " + Output.text(r, "factor") + " (changing: " + Output.text(r, "atFactor") + "/"
                    + Output.text(r, "partitions") + " partitions, " + Output.text(r, "moving") + " moving, since " + Output.text(r, "since")
                    + ")" + (r.hasNonNull("blocked") ? ", blocked: " + r.get("blocked").asText() : ""));
        });
    }

    /**
     * Under {@code cox get CLUSTER}: each topic change Kafka refuses ({@code status.topicRefusals}), with
     * Kafka's reason, since when, the command, and the ways out for its kind; nothing when Kafka refuses none.
     */
    static void printRefusals(PrintWriter out, String cluster, JsonNode refusals) {
        if (refusals.isEmpty()) {
            return;
        }
        out.println();
        out.println("Topics Kafka refuses (not created, changed or deleted as asked; the cluster's changes are not acted on until fixed):");
        refusals.fields().forEachRemaining(topic -> {
            JsonNode r = topic.getValue();
            out.println("  " + topic.getKey() + ": " + Output.text(r, "reason") + " (since " + Output.text(r, "since")
                    + (r.hasNonNull("commandId") ? ", command " + r.get("commandId").asText() : "") + ")");
            waysOut(cluster, topic.getKey(), Output.text(r, "reason")).forEach(way -> out.println("    " + way));
        });
    }

    /**
     * What ends a refusal, one line per kind of change its reason names: the executor joins the kinds' reasons with "; ",
     * a creation or configuration change's first and as Kafka's answer alone, each other kind's beginning with its name.
     */
    static List<String> waysOut(String cluster, String topic, String reason) {
        List<String> ways = new ArrayList<>();
        if (reason.startsWith(TopicRefusalReasons.DELETION)) {
            return List.of("let Kafka delete it (delete.topic.enable=true, or the policy it names), or keep it: cox topic create " + cluster
                    + " " + topic + " ...");
        }
        if (!reason.startsWith(TopicRefusalReasons.PARTITIONS) && !reason.startsWith(TopicRefusalReasons.REPLICATION)) {
            ways.add("fix it: cox topic update " + cluster + " " + topic + " --set KEY=VALUE | --remove KEY, or drop it: cox topic delete "
                    + cluster + " " + topic);
        }
        if (reason.contains(TopicRefusalReasons.PARTITIONS)) {
            ways.add("for the partitions: bring back the brokers or lift the policy Kafka names, or drop it: cox topic delete " + cluster
                    + " " + topic);
        }
        if (reason.contains(TopicRefusalReasons.REPLICATION)) {
            ways.add("for the replication factor: bring back the brokers Kafka names, or ask for the factor it has: cox topic"
                    + " replication-factor " + cluster + " " + topic + " --replication-factor N");
        }
        return ways;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand TopicCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "TOPIC") String topic;

        @Override
        public Integer call() {
            return submit.send(parent.cox, cluster, "DeleteTopic", GatewayClient.JSON.createObjectNode().put("name", topic));
        }
    }
}
