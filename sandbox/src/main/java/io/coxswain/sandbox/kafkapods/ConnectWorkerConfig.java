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
 *   <li>a file-reading config provider reads a mount's local directory ({@link MountedPathsConfigProvider}), and so do the
 *       clients the worker makes for connectors, for a store file a connector names at a mount path
 *       ({@link MountedPathsSslEngineFactory});
 *   <li>keys absent from the ConfigMap that make a one-machine worker slow get the sandbox's values
 *       ({@link OneMachineConnect#DEFAULTS}).
 * </ul>
 */
record ConnectWorkerConfig(Map<String, String> properties, int port) {

    /** The worker's own client settings, then those it gives connectors' clients under their prefix. */
    static final String[] CLIENT_PREFIXES = {"", "producer.", "consumer.", "admin."};

    /** Kafka's config providers that read files, by the paths connectors' references name. */
    static final java.util.Set<String> FILE_PROVIDERS = java.util.Set.of("org.apache.kafka.common.config.provider.FileConfigProvider",
            "org.apache.kafka.common.config.provider.DirectoryConfigProvider");

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
        readMountsLocally(out, mounts);
        out.put("bootstrap.servers", bootstrap.apply(out.getOrDefault("bootstrap.servers", "")));
        for (String prefix : CLIENT_PREFIXES) {
            String protocol = out.getOrDefault(prefix + "security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
            if (protocol.endsWith("SSL")) {
                out.put(prefix + "ssl.endpoint.identification.algorithm", "");
            }
            if (!prefix.isEmpty()) {
                // a connector may name a store at a mount path (producer.override.ssl.truststore.location=/mnt/secrets/...)
                out.put(prefix + "ssl.engine.factory.class", MountedPathsSslEngineFactory.class.getName());
                mounts.forEach((path, dir) -> out.put(prefix + MountedPathsSslEngineFactory.MOUNT + path, dir.toString()));
            }
        }
        out.put("listeners", "http://127.0.0.1:" + port);
        out.put("rest.advertised.host.name", "127.0.0.1");
        out.remove("plugin.path");
        out.put("plugin.discovery", "service_load");
        OneMachineConnect.DEFAULTS.forEach(out::putIfAbsent);
        return new ConnectWorkerConfig(Map.copyOf(out), port);
    }

    /**
     * Each file-reading config provider the workers enable stands behind {@link MountedPathsConfigProvider}: connectors'
     * configurations come through the REST API with the pods' mount paths in their references, which no rewrite of this
     * file reaches.
     */
    private static void readMountsLocally(Map<String, String> out, Map<String, Path> mounts) {
        for (String provider : out.getOrDefault("config.providers", "").split(",")) {
            String key = "config.providers." + provider.strip() + ".class";
            if (out.containsKey(key) && FILE_PROVIDERS.contains(out.get(key))) {
                String param = "config.providers." + provider.strip() + ".param.";
                out.put(param + MountedPathsConfigProvider.DELEGATE, out.get(key));
                out.put(key, MountedPathsConfigProvider.class.getName());
                mounts.forEach((path, dir) -> out.put(param + MountedPathsConfigProvider.MOUNT + path, dir.toString()));
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }
}
