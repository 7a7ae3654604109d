package io.coxswain.sandbox.kafkapods;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.QuorumInfo;

/**
 * What a pod's readiness probe would ask, from outside the node: a broker is ready when the
 * controller lists it registered and unfenced; a controller when the quorum has a leader and
 * this node is a voter that has fetched from it (or is it).
 */
final class ReadinessProbe implements AutoCloseable {

    private final LocalNodeConfig config;
    private final Admin admin;

    ReadinessProbe(LocalNodeConfig config) {
        this.config = config;
        Map<String, Object> props = new HashMap<>(Map.of("request.timeout.ms", 2000, "default.api.timeout.ms", 3000,
                "retry.backoff.ms", 100, "reconnect.backoff.max.ms", 500, "client.id", "sandbox-probe-" + config.nodeId()));
        if (config.broker()) {
            props.put("bootstrap.servers", config.clientAddress().orElseThrow());
        } else {
            props.put("bootstrap.controllers", config.controllerAddress().orElseThrow());
        }
        this.admin = Admin.create(props);
    }

    /** One probe; false on any error (the node may not be listening yet). */
    boolean ready() {
        try {
            return config.broker() ? brokerReady() : controllerReady();
        } catch (Exception e) {
            return false;
        }
    }

    private boolean brokerReady() throws Exception {
        return admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes().get(3, TimeUnit.SECONDS).stream()
                .anyMatch(n -> n.id() == config.nodeId() && !n.isFenced());
    }

    private boolean controllerReady() throws Exception {
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(3, TimeUnit.SECONDS);
        if (quorum.leaderId() < 0) {
            return false;
        }
        return quorum.leaderId() == config.nodeId() || quorum.voters().stream()
                .anyMatch(v -> v.replicaId() == config.nodeId() && v.lastFetchTimestamp().isPresent() && v.logEndOffset() >= 0);
    }

    @Override
    public void close() {
        admin.close(Duration.ZERO);
    }
}
