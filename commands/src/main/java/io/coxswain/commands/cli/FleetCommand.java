package io.coxswain.commands.cli;

import io.coxswain.commands.shape.CommandShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cox fleet}: one change across many clusters, in waves ({@link FleetRun}). */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Change many clusters in waves, a canary first.",
        subcommands = {FleetCommand.Upgrade.class, FleetCommand.Restart.class, FleetCommand.Config.class, FleetCommand.Approvals.class})
final class FleetCommand {

    @ParentCommand Cox cox;

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Upgrade the selected Ready clusters to a Kafka release: the canaries first, then waves; stop at the first failure.")
    static final class Upgrade implements Callable<Integer> {
        @ParentCommand FleetCommand fleet;
        @Mixin FleetOptions options;
        @Option(names = "--kafka-version", required = true, description = "Target Kafka release.") String kafkaVersion;

        @Override
        public Integer call() throws InterruptedException {
            String run = options.check();
            return new FleetRun(fleet.cox, options, new FleetChanges.Upgrade(kafkaVersion), run).call();
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = {
            "Restart a component of the selected Ready clusters, pod by pod through the same safety checks as an upgrade (a JVM or",
            "base image patched under the same tag): the canaries first, then waves; stop at the first failure."})
    static final class Restart implements Callable<Integer> {
        @ParentCommand FleetCommand fleet;
        @Mixin FleetOptions options;
        @Option(names = "--component", defaultValue = "all", description = "brokers, controllers or all (default: ${DEFAULT-VALUE}).")
        String component;
        @Option(names = "--reason", description = "Why, kept in the log with each cluster's command (default: fleet restart <run>).")
        String reason;

        @Override
        public Integer call() throws InterruptedException {
            String run = options.check();
            if (!CommandShape.RESTART_COMPONENTS.contains(component)) {
                throw new CliException(CliException.BAD_INPUT, "--component must be one of " + String.join(", ", CommandShape.RESTART_COMPONENTS)
                        + ", got '" + component + "'");
            }
            String why = reason != null ? reason : "fleet restart " + run;
            return new FleetRun(fleet.cox, options, new FleetChanges.Restart(component, why), run).call();
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, description = {
            "Set (or remove) broker settings on the selected Ready clusters: keys Kafka takes live are applied without a restart, the",
            "others by a roll with the upgrade's safety checks; the canaries first, then waves; stop at the first failure."})
    static final class Config implements Callable<Integer> {
        @ParentCommand FleetCommand fleet;
        @Mixin FleetOptions options;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A broker setting to set (repeat for more).")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--remove", paramLabel = "KEY", description = "A broker setting to set back to Kafka's default (repeat for more).")
        List<String> remove = new ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            String run = options.check();
            if (set.isEmpty() && remove.isEmpty()) {
                throw new CliException(CliException.BAD_INPUT, "nothing to change: give --set KEY=VALUE, --remove KEY or both");
            }
            return new FleetRun(fleet.cox, options, new FleetChanges.Config(set, remove), run).call();
        }
    }

    @Command(name = "approvals", mixinStandardHelpOptions = true, description = {
            "Set (or --clear) one approval policy on every selected cluster, Ready or not, as cox approvals policy does on one:",
            "a cluster whose policy covers policy changes records it as a proposal (exit 8 once the run is over); a deleted one",
            "is left out. Waves as for every fleet run (--wave-size to go faster: nothing rolls)."})
    static final class Approvals implements Callable<Integer> {
        @ParentCommand FleetCommand fleet;
        @Mixin FleetOptions options;
        @Mixin ApprovalsCommand.Rules rules;

        @Override
        public Integer call() throws InterruptedException {
            String run = options.check();
            return new FleetRun(fleet.cox, options, new FleetApprovalPolicy(rules.payload(), rules.summary(), rules.options()), run).call();
        }
    }
}
