package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A connect pod's properties file made runnable by a Connect worker in this JVM. What Kubernetes
 * would provide is translated; everything else is the ConfigMap's text unchanged:
 *
 * <ul>
 *   <li>{@code bootstrap.servers}: the local client ports of the cluster's brokers (given);
 *   <li>in every value, the mount path of each Secret volume becomes the local directory holding its
 *       files, as for a Kafka node ({@link LocalNodeConfig});
 *   <li>the worker and each of its client prefixes ({@code producer.}, {@code consumer.},
 *       {@code admin.}) that talk TLS do not verify host names: the brokers answer at 127.0.0.1
 *       while their certificates name in-cluster hosts. They still trust only the cluster CA;
 *   <li>{@code listeners}: {@code http://127.0.0.1:<port>}, the port kept for the pod;
 *       {@code rest.advertised.host.name} (which the pod's start script appends): 127.0.0.1;
 *   <li>{@code plugin.path} (the image's directories) is dropped: plugins are found on this JVM's
 *       classpath by their service manifests ({@code plugin.discovery=service_load});
 *   <li>keys absent from the ConfigMap that make a one-machine worker slow get the sandbox's values.
 * </ul>
 */
record ConnectWorkerConfig(Map<String, String> properties, int port) {

    /** The worker's own client settings, then those it gives connectors' clients under their prefix. */
    static final String[] CLIENT_PREFIXES = {"", "producer.", "consumer.", "admin."};

    static final Map<String, String> SANDBOX_DEFAULTS = Map.of(
            // sink tasks write out (FileStreamSink flushes) and offsets are committed every second, not every minute
            "offset.flush.interval.ms", "1000",
            // a worker gone away is not waited for 5 minutes before its connectors move: there is no other machine
            "scheduled.rebalance.max.delay.ms", "0",
            "offset.storage.partitions", "5",
            "status.storage.partitions", "1");

    /** @param bootstrap the file's {@code bootstrap.servers} → addresses reachable from this machine */
    static ConnectWorkerConfig of(String file, Map<String, Path> mounts, UnaryOperator<String> bootstrap, int port) {
        Properties in = new Properties();
        try {
            in.load(new StringReader(file));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable connect properties", e);
        }
        Map<String, String> out = new TreeMap<>();
        Properties local = LocalNodeConfig.mounted(in, mounts);
        local.stringPropertyNames().forEach(k -> out.put(k, local.getProperty(k)));
        out.put("bootstrap.servers", bootstrap.apply(out.getOrDefault("bootstrap.servers", "")));
        for (String prefix : CLIENT_PREFIXES) {
            String protocol = out.getOrDefault(prefix + "security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
            if (protocol.endsWith("SSL")) {
                out.put(prefix + "ssl.endpoint.identification.algorithm", "");
            }
        }
        out.put("listeners", "http://127.0.0.1:" + port);
        out.put("rest.advertised.host.name", "127.0.0.1");
        out.remove("plugin.path");
        out.put("plugin.discovery", "service_load");
        SANDBOX_DEFAULTS.forEach(out::putIfAbsent);
        return new ConnectWorkerConfig(Map.copyOf(out), port);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }
}
