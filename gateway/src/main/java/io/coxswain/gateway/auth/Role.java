package io.coxswain.gateway.auth;

import io.coxswain.avro.command.RecordObservation;
import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.commands.shape.ClusterPatterns;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One role of the roles file: which command types it may issue, on which clusters. A cluster
 * pattern is a cluster id, a prefix ending in {@code *}, or {@code *} alone; a label selector, when
 * the role has one, narrows them to the clusters whose labels match ({@code team=payments}), so a
 * team's role follows its clusters by label instead of by name. The selector is parsed once, here:
 * it is matched for every cluster a list answer holds.
 */
public final class Role {

    private static final Pattern CLUSTER_PATTERN = Pattern.compile("\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?|[a-z0-9][-a-z0-9]*\\*");

    private final String name;
    private final Set<String> commands;
    private final boolean allCommands;
    private final List<String> clusters;
    private final String selector;
    private final List<ClusterLabels.Requirement> requirements;

    /**
     * @param commands the command types, or empty for none ({@code -} in the file)
     * @param allCommands true for {@code *}: every command type, including ones added in later versions
     * @param selector the label selector as written, or null for none (any labels); malformed: IllegalArgumentException
     */
    public Role(String name, Set<String> commands, boolean allCommands, List<String> clusters, String selector) {
        this.name = name;
        this.commands = Set.copyOf(commands);
        this.allCommands = allCommands;
        this.clusters = List.copyOf(clusters);
        this.selector = selector;
        this.requirements = selector == null ? List.of() : ClusterLabels.parseSelector(selector);
    }

    static boolean validClusterPattern(String pattern) {
        return CLUSTER_PATTERN.matcher(pattern).matches();
    }

    public String name() {
        return name;
    }

    public Set<String> commands() {
        return commands;
    }

    public boolean allCommands() {
        return allCommands;
    }

    public List<String> clusters() {
        return clusters;
    }

    /** The label selector as the roles file writes it, or null for none. */
    public String selector() {
        return selector;
    }

    /**
     * The executors' record of what they observed: what the fold takes from it (an operation SUCCEEDED, a change acted
     * on, an intentVersion replayed) no person should be able to assert, so {@code *} does not cover it; executors write
     * it to the command topic directly, and a role must name it to send it through the gateway.
     */
    public static final String OBSERVATIONS = RecordObservation.class.getSimpleName();

    public boolean mayIssue(String commandType) {
        return allCommands ? !OBSERVATIONS.equals(commandType) : commands.contains(commandType);
    }

    /** Whether the role covers the cluster with these labels: one of its patterns names it, and its selector, if any, matches. */
    public boolean covers(String clusterId, Map<String, String> labels) {
        return ClusterPatterns.matchAny(clusters, clusterId) && ClusterLabels.matches(requirements, labels);
    }

    /** Whether the role covers every cluster, whatever its labels: log-wide reads need that. */
    public boolean coversAll() {
        return clusters.contains("*") && selector == null;
    }

    /**
     * Whether the role may issue the command on the cluster: it covers the cluster with the labels it has
     * and with those it will have (a CreateCluster's, a SetClusterLabels'), so that a team's role can
     * neither make a cluster outside its selector nor move one out of it, nor take one in.
     */
    public boolean permits(String commandType, String clusterId, Map<String, String> labelsNow, Map<String, String> labelsAfter) {
        return mayIssue(commandType) && covers(clusterId, labelsNow) && covers(clusterId, labelsAfter);
    }

    /** The commands as the file lists them: {@code *}, or the types sorted (empty for {@code -}). */
    public List<String> commandList() {
        return allCommands ? List.of("*") : commands.stream().sorted().toList();
    }

    /** The clusters it covers, for a person: {@code payments, payments-*} and, with a selector, {@code labelled team=payments}. */
    public String scope() {
        return String.join(", ", clusters) + (selector == null ? "" : " labelled " + selector);
    }

    @Override
    public String toString() {
        return "Role[" + name + " " + String.join(",", commandList()) + " " + scope() + "]";
    }
}
