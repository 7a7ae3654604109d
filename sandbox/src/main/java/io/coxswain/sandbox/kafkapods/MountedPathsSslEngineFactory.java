package io.coxswain.sandbox.kafkapods;

import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLEngine;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * Kafka's own SSL engine factory for the clients a sandbox Connect worker makes for connectors, reading a store file named
 * at a pod's mount path ({@code ssl.keystore.location}, {@code ssl.truststore.location}) from the local directory the
 * Secret's volume was written to. The worker's own settings are rewritten when its file is made local, but a connector's
 * {@code producer.override.ssl.truststore.location=/mnt/secrets/...} comes through the REST API as the pod would get it,
 * as {@link MountedPathsConfigProvider} is there for its {@code ${directory:...}} references. The worker names it under
 * each client prefix, with the mounts ({@code <prefix>coxswain.sandbox.mount.<mount path>=<local directory>}), which Kafka
 * hands the factory with the client's other settings.
 */
public final class MountedPathsSslEngineFactory implements SslEngineFactory {

    static final String MOUNT = "coxswain.sandbox.mount.";
    private static final Set<String> FILES = Set.of("ssl.keystore.location", "ssl.truststore.location");

    private final DefaultSslEngineFactory delegate = new DefaultSslEngineFactory();
    private Map<String, String> mounts = Map.of();

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, String> found = new TreeMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith(MOUNT) && v != null) {
                found.put(k.substring(MOUNT.length()).replaceAll("/+$", ""), v.toString());
            }
        });
        mounts = Map.copyOf(found);
        delegate.configure(local(configs));
    }

    /** The settings with each store file under a mount read from its local directory; the rest as they are. */
    private Map<String, Object> local(Map<String, ?> configs) {
        Map<String, Object> out = new HashMap<>(configs);
        for (String key : FILES) {
            if (out.get(key) instanceof String path) {
                mounts.forEach((mount, dir) -> {
                    if (path.startsWith(mount + "/")) {
                        out.put(key, dir + path.substring(mount.length()));
                    }
                });
            }
        }
        return out;
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
        return delegate.createClientSslEngine(peerHost, peerPort, endpointIdentification);
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
        return delegate.createServerSslEngine(peerHost, peerPort);
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
        return delegate.shouldBeRebuilt(local(nextConfigs));
    }

    @Override
    public Set<String> reconfigurableConfigs() {
        return delegate.reconfigurableConfigs();
    }

    @Override
    public KeyStore keystore() {
        return delegate.keystore();
    }

    @Override
    public KeyStore truststore() {
        return delegate.truststore();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
