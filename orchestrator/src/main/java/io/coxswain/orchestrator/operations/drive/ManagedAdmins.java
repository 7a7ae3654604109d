package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One Admin client per managed cluster, over TLS, trusting only the cluster's CA and presenting
 * Coxswain's own client certificate ({@code CN=coxswain-operator}, a super user where clients must
 * authenticate). Made again when the cluster's bootstrap address, CA certificate or Coxswain's
 * certificate changes (a cluster deleted and created again under the same id has a new CA).
 */
final class ManagedAdmins implements AutoCloseable {

    private record Client(String bootstrap, ClusterAccess access, Admin admin) {
    }

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Object> overrides;
    private final boolean verifyHostnames;

    /** @param verifyHostnames see {@link DriveSettings#verifyBrokerHostnames()} */
    ManagedAdmins(Map<String, Object> overrides, boolean verifyHostnames) {
        this.overrides = Map.copyOf(overrides);
        this.verifyHostnames = verifyHostnames;
    }

    /** The clusters a client is kept open for. */
    java.util.Set<String> clusters() {
        return java.util.Set.copyOf(clients.keySet());
    }

    /** @return empty until the cluster has a bootstrap address and the TLS step has checked it */
    Optional<Admin> of(String clusterId, String bootstrap, Optional<ClusterAccess> access) {
        if (bootstrap == null || bootstrap.isBlank() || access.isEmpty()) {
            return Optional.empty();
        }
        ClusterAccess now = access.get();
        Client c = clients.compute(clusterId, (k, old) -> {
            if (old != null && old.bootstrap().equals(bootstrap) && old.access().sameClientAs(now)) {
                return old;
            }
            if (old != null) {
                old.admin().close(Duration.ofSeconds(2));
            }
            Map<String, Object> config = new HashMap<>(now.clientConfig(verifyHostnames));
            config.putAll(overrides);
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "coxswain-ops-" + clusterId);
            config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
            return new Client(bootstrap, now, Admin.create(config));
        });
        return Optional.of(c.admin());
    }

    void forget(String clusterId) {
        Client c = clients.remove(clusterId);
        if (c != null) {
            c.admin().close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        clients.keySet().forEach(this::forget);
    }
}
