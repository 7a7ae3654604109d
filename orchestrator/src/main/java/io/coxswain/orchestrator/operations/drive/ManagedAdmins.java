package io.coxswain.orchestrator.operations.drive;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One Admin client per managed cluster, made again when the cluster's bootstrap address changes. */
final class ManagedAdmins implements AutoCloseable {

    private record Client(String bootstrap, Admin admin) {
    }

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Object> overrides;

    ManagedAdmins(Map<String, Object> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** @return empty until the cluster has a bootstrap address */
    Optional<Admin> of(String clusterId, String bootstrap) {
        if (bootstrap == null || bootstrap.isBlank()) {
            return Optional.empty();
        }
        Client c = clients.compute(clusterId, (k, old) -> {
            if (old != null && old.bootstrap().equals(bootstrap)) {
                return old;
            }
            if (old != null) {
                old.admin().close(Duration.ofSeconds(2));
            }
            Map<String, Object> config = new java.util.HashMap<>(overrides);
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "coxswain-ops-" + clusterId);
            config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
            return new Client(bootstrap, Admin.create(config));
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
