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
 * this node is a voter that has fetched from it (or is it). It speaks the listener's protocol with
 * the node's own certificate, as a probe run inside the pod could.
 */
final class ReadinessProbe implements AutoCloseable {

    private final LocalNodeConfig config;
    private final Map<String, Object> props;
    private Admin admin;

    ReadinessProbe(LocalNodeConfig config) {
        this.config = config;
        this.props = props(config);
    }

    private static Map<String, Object> props(LocalNodeConfig config) {
        Map<String, Object> props = new HashMap<>(Map.of("request.timeout.ms", 2000, "default.api.timeout.ms", 3000,
                "retry.backoff.ms", 100, "reconnect.backoff.max.ms", 500, "client.id", "sandbox-probe-" + config.nodeId()));
        if (config.broker()) {
            props.put("bootstrap.servers", config.clientAddress().orElseThrow());
            props.putAll(config.clientSecurity(config.clientListener().orElseThrow()));
        } else {
            props.put("bootstrap.controllers", config.controllerAddress().orElseThrow());
            props.putAll(config.clientSecurity(config.controllerListener()));
        }
        return props;
    }

    /** One probe; false on any error (the node may not be listening yet). */
    boolean ready() {
        if (admin == null) {
            admin = Admin.create(props);
        }
        try {
            return config.broker() ? brokerReady() : controllerReady();
        } catch (Exception e) {
            // A controller asked before it has loaded its metadata answers DescribeCluster with an
            // error the admin client treats as fatal for its metadata: it would then fail every
            // later probe too. A fresh client per failed probe recovers once the node is up.
            admin.close(Duration.ZERO);
            admin = null;
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
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
