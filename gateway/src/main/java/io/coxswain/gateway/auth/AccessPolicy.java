package io.coxswain.gateway.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may issue which commands on which clusters: the gateway's roles file, read once at start.
 * <pre>
 * # role NAME COMMANDS CLUSTERS [SELECTOR]   (COMMANDS: * | - | Type,Type,...   CLUSTERS: * | id | prefix* , comma-separated
 * #                                          SELECTOR: the clusters' labels, kubectl's way: team=payments,env!=prod)
 * role platform-admin *                                        *
 * role payments-dev   CreateTopic,UpdateTopicConfig,IncreasePartitions,ChangeReplicationFactor,DeleteTopic payments,payments-*
 * role payments-sec   CreateUser,UpdateUserAcls,DeleteUser     payments
 * role payments-ops   *                                        *  team=payments
 * # grant PRINCIPAL ROLE [ROLE ...]
 * grant alice platform-admin
 * grant bob   payments-dev
 * # reads all | by-role          (optional, once; all when absent)
 * reads by-role
 * </pre>
 * A principal with no grant issues nothing. The user commands (CreateUser, UpdateUserAcls,
 * DeleteUser) decide who may read and write a cluster's data, so, like CreateCluster and
 * DeleteCluster, they belong only to roles that name them or allow {@code *}. Without a roles file
 * every authenticated caller may issue every command ({@link #allowAll()}), which is what
 * {@code dev} mode does. Reads follow the
 * {@code reads} line: with {@code all} (the default) every authenticated caller reads every cluster
 * and the whole audit trail; with {@code by-role} a caller reads only the clusters its roles' cluster
 * patterns cover (whatever commands the roles allow: {@code role auditor - payments-*} is a read-only
 * role), and the audit trail of those clusters only. A role with a label selector covers the clusters of
 * its patterns whose labels ({@code spec.labels}, as the gateway's read model has them) match it; a command
 * it permits must leave the cluster's labels matching too (see {@link Role#permits}).
 */
public final class AccessPolicy {

    private final String source;
    private final Map<String, List<Role>> rolesByPrincipal;
    private final boolean readsByRole;

    private AccessPolicy(String source, Map<String, List<Role>> rolesByPrincipal, boolean readsByRole) {
        this.source = source;
        this.rolesByPrincipal = rolesByPrincipal;
        this.readsByRole = readsByRole;
    }

    /** Every authenticated caller may issue every command and read everything. */
    public static AccessPolicy allowAll() {
        return new AccessPolicy(null, null, false);
    }

    /** Reads a roles file; a mistake in it fails here, naming the file, the line and what to change. */
    public static AccessPolicy load(Path file, Collection<String> commandTypes) {
        return parse(ConfigLines.read(file, "roles file"), commandTypes);
    }

    static AccessPolicy parse(ConfigLines config, Collection<String> commandTypes) {
        Map<String, Role> roles = new LinkedHashMap<>();
        List<ConfigLines.Line> grants = new ArrayList<>();
        ConfigLines.Line readsLine = null;
        for (ConfigLines.Line line : config.lines()) {
            switch (line.words().get(0)) {
                case "role" -> {
                    Role role = role(config, line, commandTypes);
                    if (roles.putIfAbsent(role.name(), role) != null) {
                        throw config.error(line, "role '" + role.name() + "' is defined twice; keep one definition");
                    }
                }
                case "grant" -> grants.add(line);
                case "reads" -> {
                    if (readsLine != null) {
                        throw config.error(line, "is a second 'reads' line; keep one");
                    }
                    readsLine = line;
                }
                default -> throw config.error(line, "starts with '" + line.words().get(0)
                        + "'; each line is 'role NAME COMMANDS CLUSTERS [SELECTOR]', 'grant PRINCIPAL ROLE [ROLE ...]' or 'reads all|by-role'");
            }
        }
        boolean readsByRole = readsLine != null && readsByRole(config, readsLine);
        Map<String, List<Role>> byPrincipal = new LinkedHashMap<>();
        for (ConfigLines.Line line : grants) {
            List<String> w = line.words();
            if (w.size() < 3) {
                throw config.error(line, "expected 'grant PRINCIPAL ROLE [ROLE ...]', got " + w.size() + " words");
            }
            List<Role> granted = byPrincipal.computeIfAbsent(w.get(1), p -> new ArrayList<>());
            for (String name : w.subList(2, w.size())) {
                Role role = roles.get(name);
                if (role == null) {
                    throw config.error(line, "grants role '" + name + "', which no 'role' line defines; roles: " + roles.keySet());
                }
                if (!granted.contains(role)) {
                    granted.add(role);
                }
            }
        }
        byPrincipal.replaceAll((p, r) -> List.copyOf(r));
        return new AccessPolicy(config.source(), Map.copyOf(byPrincipal), readsByRole);
    }

    private static boolean readsByRole(ConfigLines config, ConfigLines.Line line) {
        List<String> w = line.words();
        if (w.size() != 2 || !(w.get(1).equals("all") || w.get(1).equals("by-role"))) {
            throw config.error(line, "expected 'reads all' (every caller reads every cluster) or 'reads by-role' (a caller reads the clusters"
                    + " its roles cover), got '" + String.join(" ", w) + "'");
        }
        return w.get(1).equals("by-role");
    }

    private static Role role(ConfigLines config, ConfigLines.Line line, Collection<String> commandTypes) {
        List<String> w = line.words();
        if (w.size() != 4 && w.size() != 5) {
            throw config.error(line, "expected 'role NAME COMMANDS CLUSTERS [SELECTOR]' (4 or 5 words; lists are comma-separated without spaces), got "
                    + w.size() + " words");
        }
        if (w.get(2).endsWith(",") || w.get(3).endsWith(",")) {
            throw config.error(line, "role '" + w.get(1) + "' has a list ending in ',': lists are comma-separated without spaces");
        }
        String commands = w.get(2);
        Set<String> types = new HashSet<>();
        if (!commands.equals("*") && !commands.equals("-")) {
            for (String type : commands.split(",", -1)) {
                if (!commandTypes.contains(type)) {
                    throw config.error(line, "role '" + w.get(1) + "' names unknown command type '" + type + "'; the types are " + commandTypes
                            + ", or * for all, or - for none");
                }
                types.add(type);
            }
        }
        List<String> clusters = Arrays.asList(w.get(3).split(",", -1));
        for (String pattern : clusters) {
            if (!Role.validClusterPattern(pattern)) {
                throw config.error(line, "role '" + w.get(1) + "' has cluster pattern '" + pattern
                        + "'; a pattern is a cluster id (lower-case letters, digits, '-'), a prefix ending in '*', or '*'");
            }
        }
        String selector = w.size() == 5 ? w.get(4) : null;
        try {
            return new Role(w.get(1), types, commands.equals("*"), clusters, selector);
        } catch (IllegalArgumentException e) {
            throw config.error(line, "role '" + w.get(1) + "' has label selector '" + selector + "': " + e.getMessage()
                    + "; a selector is requirements separated by commas, key=value, key!=value, key or !key");
        }
    }

    /** False for {@link #allowAll()}: no roles file was given. */
    public boolean enforced() {
        return rolesByPrincipal != null;
    }

    /** True when callers read only the clusters their roles cover ({@code reads by-role}). */
    public boolean readsByRole() {
        return readsByRole;
    }

    /** Whether this principal may read this cluster, which has these labels (its state, history, commands and audit trail). */
    public boolean mayRead(String principal, String clusterId, Map<String, String> labels) {
        return !readsByRole || rolesOf(principal).stream().anyMatch(r -> r.covers(clusterId, labels));
    }

    /** Whether this principal may read every cluster, so also log-wide queries that name none. */
    public boolean mayReadAll(String principal) {
        return !readsByRole || rolesOf(principal).stream().anyMatch(Role::coversAll);
    }

    /** Why this principal may not read this cluster, which has no labels, or empty when it may (for tests: the gateway passes labels). */
    Optional<Denial> checkRead(String principal, String clusterId) {
        return checkRead(principal, clusterId, Map.of());
    }

    /** Why this principal may not read this cluster, which has these labels, or empty when it may. */
    public Optional<Denial> checkRead(String principal, String clusterId, Map<String, String> labels) {
        if (mayRead(principal, clusterId, labels)) {
            return Optional.empty();
        }
        return Optional.of(new Denial("clusterId", "principal '" + principal + "' may not read cluster '" + clusterId + "': " + readScope(principal)));
    }

    /** Why this principal may not run a query across all clusters, or empty when it may. */
    public Optional<Denial> checkReadAll(String principal, String field) {
        if (mayReadAll(principal)) {
            return Optional.empty();
        }
        return Optional.of(new Denial(field, "principal '" + principal + "' may not read across all clusters: " + readScope(principal)
                + "; name one of those clusters with '" + field + "'"));
    }

    private String readScope(String principal) {
        List<Role> roles = rolesOf(principal);
        String ask = "; reads follow roles ('reads by-role' in " + source + "), ask an administrator for a role that covers it";
        if (roles.isEmpty()) {
            return "it has no role, so may read no cluster" + ask;
        }
        List<String> covered = roles.stream().map(Role::scope).distinct().toList();
        return "its roles (" + names(roles) + ") cover only clusters "
                + String.join("; ", covered) + ask;
    }

    /** The roles granted to a principal; empty when it has none, or when nothing is enforced. */
    public List<Role> rolesOf(String principal) {
        return enforced() ? rolesByPrincipal.getOrDefault(principal, List.of()) : List.of();
    }

    /** Why this principal may not issue this command on a cluster without labels, or empty when it may (for tests: the gateway passes labels). */
    Optional<Denial> check(String principal, String commandType, String clusterId) {
        return check(principal, commandType, clusterId, Map.of(), Map.of());
    }

    /**
     * Why this principal may not issue this command on this cluster, or empty when it may.
     *
     * @param labelsNow the cluster's labels (those it is created with, for a cluster that does not exist yet)
     * @param labelsAfter its labels once the command is applied: another set only for CreateCluster and SetClusterLabels
     */
    public Optional<Denial> check(String principal, String commandType, String clusterId, Map<String, String> labelsNow,
                                  Map<String, String> labelsAfter) {
        if (!enforced()) {
            return Optional.empty();
        }
        List<Role> roles = rolesOf(principal);
        if (roles.stream().anyMatch(r -> r.permits(commandType, clusterId, labelsNow, labelsAfter))) {
            return Optional.empty();
        }
        String ask = "; ask an administrator to grant a role that allows it in " + source;
        if (roles.isEmpty()) {
            return Optional.of(new Denial("type", "principal '" + principal + "' has no role, so may issue no commands"
                    + (readsByRole ? "" : " (reads are allowed)") + ask));
        }
        String names = names(roles);
        List<String> where = roles.stream().filter(r -> r.mayIssue(commandType)).map(Role::scope).distinct().toList();
        if (!where.isEmpty()) {
            boolean relabels = !labelsNow.equals(labelsAfter);
            return Optional.of(new Denial("clusterId", "principal '" + principal + "' may not issue " + commandType + " on cluster '" + clusterId
                    + "'" + (relabels ? " (labelled " + labels(labelsNow) + ", to be " + labels(labelsAfter) + ")"
                    : labelsNow.isEmpty() ? "" : " (labelled " + labels(labelsNow) + ")")
                    + ": its roles (" + names + ") allow " + commandType + " only on clusters " + String.join("; ", where) + ask));
        }
        List<String> may = roles.stream().flatMap(r -> r.commandList().stream()).distinct().sorted().toList();
        String observations = Role.OBSERVATIONS.equals(commandType) && may.contains("*")
                ? " (* does not cover " + Role.OBSERVATIONS + ", the executors' record of what they observed: a role must name it)" : "";
        return Optional.of(new Denial("type", "principal '" + principal + "' may not issue " + commandType + ": its roles (" + names + ") allow "
                + (may.isEmpty() ? "no commands" : String.join(", ", may)) + observations + ask));
    }

    private static String labels(Map<String, String> labels) {
        return labels.isEmpty() ? "nothing" : new java.util.TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static String names(List<Role> roles) {
        return roles.stream().map(Role::name).collect(Collectors.joining(", "));
    }

    /** A refusal: the request field at fault ({@code type} or {@code clusterId}) and a message for the caller. */
    public record Denial(String field, String message) {
    }
}
