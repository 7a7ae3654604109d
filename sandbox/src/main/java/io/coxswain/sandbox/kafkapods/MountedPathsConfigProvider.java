package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Kafka's file-reading config providers (FileConfigProvider, DirectoryConfigProvider) for a Connect
 * worker of the sandbox, whose pod's Secret volumes are directories on this machine, not at their
 * mount paths: a connector's {@code ${directory:/mnt/secrets/pg:password}} reads the file the Secret's
 * volume was written to. The worker's configuration names the provider it stands for and each mount:
 *
 * <pre>
 * config.providers.directory.class=io.coxswain.sandbox.kafkapods.MountedPathsConfigProvider
 * config.providers.directory.param.delegate=org.apache.kafka.common.config.provider.DirectoryConfigProvider
 * config.providers.directory.param.mount./mnt/secrets/pg=/var/coxswain/pods/shop/.secrets/shop-connect-0/user-secret-0
 * </pre>
 */
public final class MountedPathsConfigProvider implements ConfigProvider {

    static final String DELEGATE = "delegate";
    static final String MOUNT = "mount.";
    /** Kafka's file providers read only under these; the sandbox's mounts are elsewhere. */
    static final String ALLOWED_PATHS = "allowed.paths";

    private final Map<String, String> mounts = new TreeMap<>();
    private ConfigProvider delegate;

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, Object> rest = new HashMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith(MOUNT)) {
                mounts.put(k.substring(MOUNT.length()).replaceAll("/+$", ""), String.valueOf(v));
            } else if (!k.equals(DELEGATE)) {
                rest.put(k, v);
            }
        });
        Object allowed = rest.get(ALLOWED_PATHS);
        if (allowed != null) {
            rest.put(ALLOWED_PATHS, allowedLocally(String.valueOf(allowed)));
        }
        try {
            delegate = (ConfigProvider) Class.forName(String.valueOf(configs.get(DELEGATE))).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("no config provider " + configs.get(DELEGATE) + " to stand for", e);
        }
        delegate.configure(rest);
    }

    @Override
    public ConfigData get(String path) {
        return delegate.get(local(path));
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        return delegate.get(local(path), keys);
    }

    /** The provider's {@code allowed.paths}: each path made local where it exists here, and the local directories of the mounts under it. */
    private String allowedLocally(String allowed) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String path : allowed.split(",")) {
            String a = path.strip().replaceAll("/+$", "");
            if (java.nio.file.Files.exists(java.nio.file.Path.of(local(a)))) { // Kafka refuses an allowed path that is not there
                out.add(local(a));
            }
            mounts.forEach((mount, dir) -> {
                if (mount.startsWith(a + "/")) {
                    out.add(dir);
                }
            });
        }
        if (out.isEmpty()) {
            // Kafka reads an empty allowed.paths as no restriction at all: allow one empty directory instead
            try {
                out.add(java.nio.file.Files.createTempDirectory("coxswain-no-secrets").toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return String.join(",", out);
    }

    /** The path under the longest mount it is in, made local; any other path as it is. */
    String local(String path) {
        String best = null;
        for (String mount : mounts.keySet()) {
            if ((path.equals(mount) || path.startsWith(mount + "/")) && (best == null || mount.length() > best.length())) {
                best = mount;
            }
        }
        return best == null ? path : mounts.get(best) + path.substring(best.length());
    }

    @Override
    public void close() throws IOException {
        if (delegate != null) {
            delegate.close();
        }
    }
}
