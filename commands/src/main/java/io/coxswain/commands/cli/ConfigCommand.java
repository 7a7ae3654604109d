package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox config set|remove CLUSTER ...}: broker settings of a cluster. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Change broker settings.",
        subcommands = {ConfigCommand.Set.class, ConfigCommand.Remove.class})
final class ConfigCommand {

    @ParentCommand Cox cox;

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set broker settings: cox config set CLUSTER KEY=VALUE...")
    static final class Set implements Callable<Integer> {
        @ParentCommand ConfigCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE") Map<String, String> settings;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode();
            ObjectNode set = p.putObject("set");
            settings.forEach(set::put);
            p.putArray("remove");
            return submit.send(parent.cox, cluster, "UpdateBrokerConfig", p);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove broker settings (back to Kafka's defaults): cox config remove CLUSTER KEY...")
    static final class Remove implements Callable<Integer> {
        @ParentCommand ConfigCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY") List<String> keys;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode();
            p.putObject("set");
            keys.forEach(p.putArray("remove")::add);
            return submit.send(parent.cox, cluster, "UpdateBrokerConfig", p);
        }
    }
}
