package io.coxswain.commands.cli;

import io.coxswain.commands.shape.ClusterLabels;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Option;

/** How every fleet run chooses its clusters and paces itself: the options {@code cox fleet upgrade} and {@code restart} share. */
final class FleetOptions {

    @Option(names = "--clusters", split = ",", paramLabel = "PATTERN",
            description = "Cluster ids, prefixes ending in * (quote them), or * for every cluster you may read; comma-separated.")
    List<String> selectors;
    @Option(names = "--selector", paramLabel = "SELECTOR", description = "Clusters whose labels match, kubectl's way:"
            + " team=payments,env!=dev,tier,!ephemeral. With --clusters, a cluster must match both; one of them is required.")
    String labelSelector;
    @Option(names = "--canaries", defaultValue = "1", description = "Clusters of the first wave, changed alone (default: ${DEFAULT-VALUE}).")
    int canaries;
    @Option(names = "--wave-size", defaultValue = "3", description = "Clusters changed at once in each later wave (default: ${DEFAULT-VALUE}).")
    int waveSize;
    @Option(names = "--run-id", description = "Names the run in each command id (default: random, printed); give it again to resume a stopped run.")
    String runId;
    @Option(names = "--timeout", defaultValue = "30m", description = "How long one cluster may take to be done (default: ${DEFAULT-VALUE}).")
    String timeout;
    @Option(names = "--dry-run", description = "Write nothing: print the waves and each cluster's decision as the fold would take it now.")
    boolean dryRun;

    /** Checks the options; the run's id, given or new. */
    String check() {
        if (canaries < 1 || waveSize < 1) {
            throw new CliException(CliException.BAD_INPUT, "--canaries and --wave-size must be at least 1");
        }
        if (selectors == null && labelSelector == null) {
            throw new CliException(CliException.BAD_INPUT, "choose the clusters with --clusters, --selector or both");
        }
        return runId != null ? runId : UUID.randomUUID().toString().substring(0, 8);
    }

    List<ClusterLabels.Requirement> labels() {
        return LabelCommand.selector("--selector", labelSelector);
    }

    Duration perCluster() {
        return Times.duration("--timeout", timeout);
    }

    /** The options that chose the clusters, their values between {@code quote}s (to be typed again in a shell). */
    String selection(String quote) {
        return ((selectors == null ? "" : "--clusters " + quote + String.join(",", selectors) + quote + " ")
                + (labelSelector == null ? "" : "--selector " + quote + labelSelector + quote)).strip();
    }
}
