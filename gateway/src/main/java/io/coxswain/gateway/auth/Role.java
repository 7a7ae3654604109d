package io.coxswain.gateway.auth;

import io.coxswain.commands.shape.ClusterPatterns;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One role of the roles file: which command types it may issue, on which clusters. A cluster
 * pattern is a cluster id, a prefix ending in {@code *}, or {@code *} alone.
 *
 * @param commands the command types, or empty for none ({@code -} in the file)
 * @param allCommands true for {@code *}: every command type, including ones added in later versions
 */
public record Role(String name, Set<String> commands, boolean allCommands, List<String> clusters) {

    private static final Pattern CLUSTER_PATTERN = Pattern.compile("\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?|[a-z0-9][-a-z0-9]*\\*");

    public Role {
        commands = Set.copyOf(commands);
        clusters = List.copyOf(clusters);
    }

    static boolean validClusterPattern(String pattern) {
        return CLUSTER_PATTERN.matcher(pattern).matches();
    }

    public boolean mayIssue(String commandType) {
        return allCommands || commands.contains(commandType);
    }

    public boolean covers(String clusterId) {
        return ClusterPatterns.matchAny(clusters, clusterId);
    }

    public boolean permits(String commandType, String clusterId) {
        return mayIssue(commandType) && covers(clusterId);
    }

    /** The commands as the file lists them: {@code *}, or the types sorted (empty for {@code -}). */
    public List<String> commandList() {
        return allCommands ? List.of("*") : commands.stream().sorted().toList();
    }
}
