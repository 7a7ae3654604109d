package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** {@code cox component set|remove|list CLUSTER ...}: Schema Registry, Connect, REST Proxy and ksqlDB beside a cluster. */
@Command(name = "component", mixinStandardHelpOptions = true,
        description = "Run platform components beside a cluster: schema-registry, connect, rest-proxy, ksqldb.",
        subcommands = {ComponentCommand.Set.class, ComponentCommand.Remove.class, ComponentCommand.ListComponents.class})
final class ComponentCommand {

    @ParentCommand Cox cox;

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Run a component, or change it: cox component set CLUSTER COMPONENT --replicas N [--version V] [--config KEY=VALUE]...")
    static final class Set implements Callable<Integer> {
        @ParentCommand ComponentCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "COMPONENT", description = "schema-registry, connect, rest-proxy or ksqldb.") String component;
        @Option(names = "--replicas", required = true, description = "Pods of the component, 1 to 10.") int replicas;
        @Option(names = "--version", description = "Confluent Platform release (the image tag); default 8.0.0 when added, unchanged otherwise.") String version;
        @Option(names = "--image", description = "Image repository; default confluentinc/cp-..., unchanged otherwise.") String image;
        @Option(names = "--config", description = "Component property KEY=VALUE (repeatable); the set given replaces the previous one.")
        Map<String, String> config = Map.of();
        @Option(names = "--secret", paramLabel = "NAME", description = "A Kubernetes Secret of the cluster's namespace to mount at"
                + " /mnt/secrets/NAME in every pod, for config providers (repeatable); the set given replaces the previous one."
                + " Never one holding keys Coxswain made (any cluster's): refused, or left out of the pods with a Warning Event;"
                + " in a namespace several clusters share, only one labelled mountable-by.coxswain.io/CLUSTER=true.")
        List<String> secrets = List.of();

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("component", component).put("replicas", replicas);
            secrets.forEach(p.putArray("secrets")::add);
            if (version != null) {
                p.put("version", version);
            }
            if (image != null) {
                p.put("image", image);
            }
            ObjectNode c = p.putObject("config");
            config.forEach(c::put);
            return submit.send(parent.cox, cluster, "SetComponent", p);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop running a component (its Kafka topics stay): cox component remove CLUSTER COMPONENT")
    static final class Remove implements Callable<Integer> {
        @ParentCommand ComponentCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "COMPONENT") String component;

        @Override
        public Integer call() {
            return submit.send(parent.cox, cluster, "RemoveComponent", GatewayClient.JSON.createObjectNode().put("component", component));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The components a cluster asks for, and what runs of each.")
    static final class ListComponents implements Callable<Integer> {
        @ParentCommand ComponentCommand parent;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            PrintWriter out = parent.cox.out();
            JsonNode c = ReadCommands.cluster(parent.cox, cluster, "");
            JsonNode wanted = c.at("/spec/components");
            ReadCommands.render(out, format, wanted, () -> {
                List<List<String>> rows = new ArrayList<>();
                wanted.fieldNames().forEachRemaining(name -> {
                    JsonNode w = wanted.get(name);
                    JsonNode seen = c.at("/status/components/" + name);
                    rows.add(List.of(name, Output.text(w, "replicas"), seen.isMissingNode() ? "-" : Output.text(seen, "ready") + "/" + Output.text(seen, "desired"),
                            Output.text(w, "image") + ":" + Output.text(w, "version")));
                });
                if (rows.isEmpty()) {
                    out.println("cluster " + cluster + " runs no platform components; add one with: cox component set " + cluster + " schema-registry --replicas 1");
                } else {
                    Output.table(out, List.of("COMPONENT", "REPLICAS", "READY", "IMAGE"), rows);
                }
            });
            return 0;
        }
    }
}
