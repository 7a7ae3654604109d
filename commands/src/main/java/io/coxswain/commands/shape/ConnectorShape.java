package io.coxswain.commands.shape;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of the connector commands (SetConnector, DeleteConnector, RestartConnector). A
 * connector's name goes into the Connect REST API's paths, so it is held to a URL-safe set; its
 * configuration may not carry a secret as a value, because the command log is kept forever and
 * replayed by auditors: a secret goes in as a config provider reference the worker resolves.
 */
public final class ConnectorShape {

    /**
     * Where a connect pod mounts Secrets, one directory each ({@code /mnt/secrets/<name>/<key>}), and the only place its
     * workers' directory provider reads: what a connector's provider references name.
     */
    public static final String SECRETS_MOUNT = "/mnt/secrets";
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_TASKS = 1000;
    /** Properties that are fields of SetConnector of their own. */
    public static final Set<String> FIELD_KEYS = Set.of("name", "connector.class", "tasks.max");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern CLASS = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    /** Connector properties may name transforms and predicates by aliases of any case ({@code transforms.Route.type}). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,199}");
    /** Parts of a key that say its value is a secret: a password, a JAAS configuration with one, a key or token, a user:password. */
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "pwd", "secret", "credential", "token", "jaas.config",
            "api.key", "private.key", "access.key", "keystore.key", "user.info");
    /** A URL with a user and a password in it ({@code jdbc:postgresql://app:hunter2@db/orders}), under any key. */
    private static final Pattern URL_WITH_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.:-]*://[^/@\\s:]+:[^/@\\s]+@.*", Pattern.DOTALL);
    /** A password among a URL's parameters or properties ({@code ?user=a&password=p}, {@code ;password=p}). */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i).*[?&;](password|passwd|pwd)=[^&;]+.*", Pattern.DOTALL);
    /** A provider reference, resolved by the workers: what is left once they are taken out is what the log would hold. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*\\}");

    private ConnectorShape() {
    }

    public static void checkName(String name, List<Violation> v) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            v.add(new Violation("payload.name", "must be 1-" + MAX_NAME_LENGTH + " letters, digits, '.', '_' and '-' (it goes in the Connect"
                    + " REST API's paths), got '" + name + "'"));
        }
    }

    public static void checkSet(String connectorClass, int tasksMax, Map<String, String> config, List<Violation> v) {
        if (connectorClass == null || connectorClass.length() > 300 || !CLASS.matcher(connectorClass).matches()) {
            v.add(new Violation("payload.connectorClass", "must be a Java class name like org.apache.kafka.connect.file.FileStreamSourceConnector,"
                    + " got '" + connectorClass + "'"));
        }
        if (tasksMax < 1 || tasksMax > MAX_TASKS) {
            v.add(new Violation("payload.tasksMax", "must be between 1 and " + MAX_TASKS + ", got " + tasksMax));
        }
        String first = null; // each check names the alphabetically first offender, so the message does not depend on map order
        for (String k : config.keySet()) {
            if (!KEY.matcher(k).matches() && (first == null || k.compareTo(first) < 0)) {
                first = k;
            }
        }
        if (first != null) {
            v.add(new Violation("payload.config", "'" + first + "' is not a connector property name (a letter, then letters, digits, '.', '_' and '-')"));
        }
        config.keySet().stream().filter(FIELD_KEYS::contains).sorted().findFirst()
                .ifPresent(k -> v.add(new Violation("payload.config", "'" + k + "' is a field of SetConnector of its own (name, connectorClass,"
                        + " tasksMax); set it there")));
        config.entrySet().stream().filter(e -> (secretKey(e.getKey()) && !providerReference(e.getValue()))
                        || plainPassword(e.getValue())).map(Map.Entry::getKey)
                .sorted().findFirst()
                .ifPresent(k -> v.add(new Violation("payload.config", "'" + k + "' holds a secret, and the command log is kept forever and"
                        + " replayed by auditors: give a config provider reference the Connect worker resolves, such as"
                        + " ${directory:/mnt/secrets/<Secret>:<key>} (SetComponent connect's secrets mounts it), instead of the value")));
    }

    /** Whether a value outside its provider references holds a password: in a URL's user part or among its parameters. */
    static boolean plainPassword(String value) {
        String literal = REFERENCE.matcher(value).replaceAll("REF");
        return (URL_WITH_PASSWORD.matcher(literal).matches() && !literal.matches("(?s).*://[^/@\\s:]+:REF@.*"))
                || (PASSWORD_PARAMETER.matcher(literal).matches() && !literal.matches("(?is).*[?&;](password|passwd|pwd)=REF([&;].*)?"));
    }

    /** Whether the key names a secret: the value must then be a reference, never the secret itself. */
    static boolean secretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (k.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ${provider:path:key}} or {@code ${provider:key}}, resolved by the worker's config provider; an empty value holds nothing. */
    static boolean providerReference(String value) {
        return value.isEmpty() || (value.startsWith("${") && value.endsWith("}") && value.indexOf(':') > 2 && value.indexOf('}') == value.length() - 1);
    }
}
