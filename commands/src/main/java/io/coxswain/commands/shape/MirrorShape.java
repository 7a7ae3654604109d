package io.coxswain.commands.shape;

import io.coxswain.avro.command.SetMirror;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The shape of the mirror commands (SetMirror, DeleteMirror, RestartMirror), and the names of the connectors a mirror runs as: the
 * fold, the executor and {@code cox} all name them from here. A mirror's name goes, with a suffix, into the Connect
 * REST API's paths, so it is held to the connectors' set, shorter by the longest suffix.
 */
public final class MirrorShape {

    public static final String SOURCE_SUFFIX = "-source";
    public static final String CHECKPOINT_SUFFIX = "-checkpoint";
    public static final String HEARTBEAT_SUFFIX = "-heartbeat";
    public static final int MAX_NAME_LENGTH = ConnectorShape.MAX_NAME_LENGTH - CHECKPOINT_SUFFIX.length();

    /** The path of a {@code ${provider:path:key}} reference. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}:]*:([^}]*):[^}:]*\\}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");

    private MirrorShape() {
    }

    /** {@code <name>-source}: the MirrorSourceConnector, which copies the records. */
    public static String sourceConnector(String mirror) {
        return mirror + SOURCE_SUFFIX;
    }

    /** {@code <name>-checkpoint}: the MirrorCheckpointConnector, run only for a mirror with groups. */
    public static String checkpointConnector(String mirror) {
        return mirror + CHECKPOINT_SUFFIX;
    }

    /** {@code <name>-heartbeat}: the MirrorHeartbeatConnector, run for every mirror. */
    public static String heartbeatConnector(String mirror) {
        return mirror + HEARTBEAT_SUFFIX;
    }

    /** Every connector name a mirror of this name may run as, whether it has groups or not. */
    public static List<String> connectorNames(String mirror) {
        return List.of(sourceConnector(mirror), checkpointConnector(mirror), heartbeatConnector(mirror));
    }

    /** The connectors a mirror of this name runs as: the checkpoint connector only with groups. */
    public static List<String> connectorNames(String mirror, boolean hasGroups) {
        return hasGroups ? connectorNames(mirror) : List.of(sourceConnector(mirror), heartbeatConnector(mirror));
    }

    /** Where a cluster's connect pods find the credentials the executor copies for its mirrors: the Secret {@code <cluster>-mirrors}. */
    public static String credentialsSecret(String clusterId) {
        return clusterId + "-mirrors";
    }

    /**
     * The first key of a connector's configuration (alphabetically) whose value, as a file path or in a provider reference,
     * reaches the cluster's mirror credentials, as a client or the worker's directory provider resolves a path: normalised,
     * and from the root when relative. Those
     * are the mirrors' alone: a connector of its own would read the source clusters as the mirrors' users.
     */
    public static Optional<String> credentialsReference(String clusterId, Map<String, String> config) {
        Path credentials = Path.of(ConnectorShape.SECRETS_MOUNT, credentialsSecret(clusterId));
        return config.entrySet().stream().filter(e -> {
            // a store named by file (ssl.keystore.location=/mnt/secrets/<cluster>-mirrors/<mirror>.source-user.pem) as much as a reference
            if (under(credentials, e.getValue())) {
                return true;
            }
            Matcher m = REFERENCE.matcher(e.getValue());
            while (m.find()) {
                if (under(credentials, m.group(1))) {
                    return true;
                }
            }
            return false;
        }).map(Map.Entry::getKey).sorted().findFirst();
    }

    /** Whether the path, as a client or provider opens it (normalised, from the root when relative), is under {@code dir}. */
    private static boolean under(Path dir, String path) {
        try {
            return Path.of("/").resolve(path.strip()).normalize().startsWith(dir);
        } catch (InvalidPathException ignored) {
            return false; // no path anything could open
        }
    }

    public static void checkName(String name, List<Violation> v) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            v.add(new Violation("payload.name", "must be 1-" + MAX_NAME_LENGTH + " letters, digits, '.', '_' and '-' (its connectors are"
                    + " <name>" + SOURCE_SUFFIX + ", <name>" + CHECKPOINT_SUFFIX + " and <name>" + HEARTBEAT_SUFFIX + ", which go in the Connect REST API's paths), got '"
                    + name + "'"));
        }
    }

    public static void checkSet(SetMirror m, List<Violation> v) {
        checkName(m.getName(), v);
        List<Violation> source = new java.util.ArrayList<>();
        CommandShape.checkClusterId(m.getSourceCluster(), source);
        source.forEach(s -> v.add(new Violation("payload.sourceCluster", s.message())));
        if (m.getTopics().isEmpty()) {
            v.add(new Violation("payload.topics", "must name at least one regular expression (default .*, every topic)"));
        }
        checkPatterns(m.getTopics(), "payload.topics", v);
        checkPatterns(m.getExcludeTopics(), "payload.excludeTopics", v);
        checkPatterns(m.getGroups(), "payload.groups", v);
        if (m.getSyncGroupOffsets() && m.getGroups().isEmpty()) {
            v.add(new Violation("payload.syncGroupOffsets", "syncs the offsets of the groups the mirror translates, and groups names none:"
                    + " give groups too, or leave syncGroupOffsets false"));
        }
        if (m.getSourceUser() != null) {
            List<Violation> user = new java.util.ArrayList<>();
            UserShape.checkName(m.getSourceUser(), user);
            user.forEach(u -> v.add(new Violation("payload.sourceUser", u.message())));
        }
    }

    /** Each a Java regular expression, as MirrorMaker 2 reads them, and none with a comma, which separates them in its configuration. */
    private static void checkPatterns(List<String> patterns, String field, List<Violation> v) {
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            String at = field + "[" + i + "]";
            if (p == null || p.isBlank()) {
                v.add(new Violation(at, "must be a regular expression, got an empty one"));
                continue;
            }
            if (patterns.indexOf(p) < i) { // MirrorMaker 2 refuses a list that names one twice, and Connect would refuse the connector
                v.add(new Violation(at, "repeats " + field + "[" + patterns.indexOf(p) + "] ('" + p + "'): give each expression once"));
                continue;
            }
            if (p.contains(",")) {
                v.add(new Violation(at, "must not contain ',' (MirrorMaker 2 separates its expressions by commas): give each as an item"
                        + " of its own, got '" + p + "'"));
                continue;
            }
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                v.add(new Violation(at, "is not a Java regular expression (" + e.getDescription() + " at index " + e.getIndex() + "), got '"
                        + p + "'"));
            }
        }
    }
}
