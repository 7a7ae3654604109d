package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * A pod's {@code server.properties} made runnable on this machine. What Kubernetes would provide
 * (pod DNS names, container ports, a mounted volume) is translated; everything else is the
 * ConfigMap's text unchanged:
 *
 * <ul>
 *   <li>{@code listeners}, {@code advertised.listeners}: every listener binds and advertises
 *       127.0.0.1 on the port the {@link PortBook} keeps for (namespace, pod, listener);
 *   <li>{@code controller.quorum.voters} ({@code id@host:port}) and
 *       {@code controller.quorum.bootstrap.servers} ({@code host:port}): a pod DNS name
 *       {@code <pod>.<service>.<namespace>.svc...} becomes that pod's controller listener port;
 *   <li>{@code log.dirs}, {@code metadata.log.dir}: container paths move under the pod's data
 *       directory (its PVC), keeping their shape, so a re-created pod finds its data;
 *   <li>in every value, the mount path of each of the pod's other volumes (its Secrets:
 *       {@link NodeSpec#mounts()}) becomes the local directory holding that volume's files, e.g.
 *       {@code ssl.keystore.key=${dir:/etc/kafka/tls:b-0.key}} reads {@code <local dir>/b-0.key};
 *       a path is replaced only whole ({@code /etc/kafka/tls}, not {@code /etc/kafka/tls2});
 *   <li>keys absent from the ConfigMap that size memory and threads get the sandbox's small
 *       values, as a container's resource limits would force; a value in the ConfigMap wins.
 * </ul>
 */
public record LocalNodeConfig(Properties properties, int nodeId, Set<String> roles, String clusterId, String controllerListener,
        Map<String, String> addresses, List<Path> logDirs) {

    /** What a sandbox pod may use when the ConfigMap does not say: a few MiB and threads, not a server's. */
    static final Map<String, String> SANDBOX_LIMITS = Map.ofEntries(
            // a broker waits for its controllers without end by default; an in-process node cannot be
            // killed, so bound the wait (a stop issued meanwhile takes effect when startup gives up)
            Map.entry("server.max.startup.time.ms", "120000"),
            Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024)),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "2"),
            Map.entry("num.replica.fetchers", "1"),
            Map.entry("background.threads", "2"),
            Map.entry("num.recovery.threads.per.data.dir", "1"),
            Map.entry("log.cleaner.threads", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // a restarted broker cannot register again until the controller lets its previous incarnation's session
            // expire (9 s by default), even after a clean shutdown, and then retries on its heartbeat interval (2 s):
            // most of a broker's restart in a roll, and rolls are most of the test suite's time. Shorter here, as a
            // pod's config might set them; still 10 missed heartbeats before a live broker is fenced on a busy machine
            Map.entry("broker.session.timeout.ms", "3000"),
            Map.entry("broker.heartbeat.interval.ms", "300"));

    public static LocalNodeConfig of(NodeSpec spec, PortBook ports) {
        Properties in = new Properties();
        try {
            in.load(new StringReader(spec.serverProperties()));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable server.properties of " + spec.pod(), e);
        }
        in = mounted(in, spec.mounts());
        Properties out = new Properties();
        out.putAll(in);
        String ns = spec.pod().namespace();
        int nodeId = Integer.parseInt(required(in, "node.id", spec));
        Set<String> roles = new TreeSet<>(Arrays.asList(required(in, "process.roles", spec).replace(" ", "").split(",")));
        String controllerListener = required(in, "controller.listener.names", spec).split(",")[0].trim();

        Map<String, String> addresses = new LinkedHashMap<>();
        List<String> listeners = new ArrayList<>();
        for (String entry : list(in.getProperty("listeners", ""))) {
            String name = entry.substring(0, entry.indexOf("://"));
            int port = ports.port(ns, spec.pod().pod(), name);
            listeners.add(name + "://127.0.0.1:" + port);
            addresses.put(name.toUpperCase(Locale.ROOT), "127.0.0.1:" + port);
        }
        out.setProperty("listeners", String.join(",", listeners));
        if (in.containsKey("advertised.listeners")) {
            List<String> advertised = new ArrayList<>();
            for (String entry : list(in.getProperty("advertised.listeners"))) {
                String name = entry.substring(0, entry.indexOf("://"));
                advertised.add(name + "://127.0.0.1:" + ports.port(ns, spec.pod().pod(), name));
            }
            out.setProperty("advertised.listeners", String.join(",", advertised));
        }
        String voters = in.getProperty("controller.quorum.voters", "");
        if (!voters.isBlank()) {
            List<String> rewritten = new ArrayList<>();
            for (String voter : list(voters)) {
                String id = voter.substring(0, voter.indexOf('@'));
                rewritten.add(id + "@" + local(voter.substring(voter.indexOf('@') + 1), ns, ports, controllerListener));
            }
            out.setProperty("controller.quorum.voters", String.join(",", rewritten));
        }
        String bootstrap = in.getProperty("controller.quorum.bootstrap.servers", "");
        if (!bootstrap.isBlank()) {
            out.setProperty("controller.quorum.bootstrap.servers",
                    String.join(",", list(bootstrap).stream().map(a -> local(a, ns, ports, controllerListener)).toList()));
        }
        List<Path> logDirs = new ArrayList<>();
        for (String dir : list(in.getProperty("log.dirs", in.getProperty("log.dir", "/var/lib/kafka/data")))) {
            logDirs.add(underVolume(spec.dataDir(), dir));
        }
        out.remove("log.dir");
        out.setProperty("log.dirs", String.join(",", logDirs.stream().map(Path::toString).toList()));
        if (in.containsKey("metadata.log.dir")) {
            out.setProperty("metadata.log.dir", underVolume(spec.dataDir(), in.getProperty("metadata.log.dir")).toString());
        }
        SANDBOX_LIMITS.forEach(out::putIfAbsent);
        String clusterId = spec.clusterId().orElseGet(() -> derivedClusterId(voters.isBlank() ? bootstrap : voters));
        return new LocalNodeConfig(out, nodeId, roles, clusterId, controllerListener, addresses, logDirs);
    }

    public boolean broker() {
        return roles.contains("broker");
    }

    public boolean controller() {
        return roles.contains("controller");
    }

    /** The address clients use: the inter-broker listener, else the first that is not the controller's. */
    public Optional<String> clientAddress() {
        return clientListener().map(addresses::get);
    }

    /**
     * Client settings to reach one of this node's listeners as the node itself would (a probe run
     * inside the pod): the listener's protocol and, for SSL, the node's own stores, with the
     * listener's overrides. Host names are not checked: every listener answers at 127.0.0.1.
     */
    public Map<String, Object> clientSecurity(String listener) {
        String protocol = protocolOf(listener);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("security.protocol", protocol);
        if (!protocol.endsWith("SSL")) {
            return client;
        }
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("config.providers") || key.startsWith("ssl.")) {
                client.putIfAbsent(key, properties.getProperty(key));
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix + "ssl.")) {
                client.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        client.remove("ssl.client.auth"); // a server setting
        client.put("ssl.endpoint.identification.algorithm", "");
        return client;
    }

    /** The listener whose address {@link #clientAddress()} gives, if any. */
    public Optional<String> clientListener() {
        String inter = properties.getProperty("inter.broker.listener.name");
        if (inter != null && addresses.containsKey(inter.toUpperCase(Locale.ROOT))) {
            return Optional.of(inter.toUpperCase(Locale.ROOT));
        }
        return addresses.keySet().stream().filter(k -> !k.equalsIgnoreCase(controllerListener)).findFirst();
    }

    private String protocolOf(String listener) {
        for (String entry : list(properties.getProperty("listener.security.protocol.map", ""))) {
            int colon = entry.indexOf(':');
            if (colon > 0 && entry.substring(0, colon).trim().equalsIgnoreCase(listener)) {
                return entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            }
        }
        // without a map, Kafka takes a listener named after a protocol as that protocol
        return Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(listener.toUpperCase(Locale.ROOT))
                ? listener.toUpperCase(Locale.ROOT) : "PLAINTEXT";
    }

    public Optional<String> controllerAddress() {
        return Optional.ofNullable(addresses.get(controllerListener.toUpperCase(Locale.ROOT)));
    }

    public Path metadataDir() {
        String dir = properties.getProperty("metadata.log.dir");
        return dir != null ? Path.of(dir) : logDirs.get(0);
    }

    /** {@code <pod>.<service>.<namespace>.svc.cluster.local:9093} → 127.0.0.1:(that pod's controller port). */
    private static String local(String hostPort, String ownNamespace, PortBook ports, String controllerListener) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        String[] labels = host.split("\\.");
        String namespace = labels.length >= 3 ? labels[2] : ownNamespace;
        return "127.0.0.1:" + ports.port(namespace, labels[0], controllerListener);
    }

    /** The properties with each mount path, where it stands whole in a value, replaced by its local directory. */
    static Properties mounted(Properties in, Map<String, Path> mounts) {
        if (mounts.isEmpty()) {
            return in;
        }
        Properties out = new Properties();
        for (String key : in.stringPropertyNames()) {
            String value = in.getProperty(key);
            for (Map.Entry<String, Path> m : mounts.entrySet()) {
                String path = m.getKey().replaceAll("/+$", "");
                value = value.replaceAll(Pattern.quote(path) + "(?=[/:},]|$)", Matcher.quoteReplacement(m.getValue().toString()));
            }
            out.setProperty(key, value);
        }
        return out;
    }

    private static Path underVolume(Path volume, String containerPath) {
        String relative = containerPath.trim().replaceFirst("^/+", "");
        return volume.resolve(relative.isEmpty() ? "data" : relative).toAbsolutePath();
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String required(Properties p, String key, NodeSpec spec) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("server.properties of pod " + spec.pod() + " has no " + key);
        }
        return value.trim();
    }

    /** Every node of a cluster carries the same quorum line, so it names the cluster well enough. */
    static String derivedClusterId(String quorum) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(quorum.getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(hash);
            return new Uuid(b.getLong(), b.getLong()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
