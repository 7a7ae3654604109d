package io.coxswain.gateway;

import io.coxswain.gateway.auth.AccessPolicy;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.quota.CommandQuota;
import io.coxswain.gateway.tls.GatewayTls;
import java.time.Duration;

/**
 * Settings of the HTTP gateway.
 *
 * @param host            interface to bind (0.0.0.0 for all)
 * @param port            0 picks a free port
 * @param access          who may issue which commands on which clusters
 * @param tls             the certificate and key to serve HTTPS with, or null for plain HTTP
 * @param decisionTimeout how long {@code POST /v1/commands?wait=true} waits for the decision
 * @param readWaitTimeout how long {@code GET /v1/clusters/{id}?minVersion=N} waits for version N
 * @param sendTimeout     how long Kafka gets to commit a command before the caller is told 503
 * @param bodyLimit       largest request body in bytes
 * @param readyStaleness  /health/ready fails when the read model is older than this
 * @param auditParallelism replays of the command log (past states, diff, audit, verify) that may run at once;
 *                         each is a consumer and a core while it runs, further requests queue
 * @param quota           how many commands each principal may write per second through this instance
 */
public record GatewayConfig(String host, int port, Authenticator auth, AccessPolicy access, GatewayTls tls, Duration decisionTimeout,
                            Duration readWaitTimeout, Duration sendTimeout, long bodyLimit, Duration readyStaleness, int auditParallelism,
                            CommandQuota quota) {

    public GatewayConfig {
        if (auditParallelism < 1) {
            throw new IllegalArgumentException("audit parallelism (--audit-parallelism) must be at least 1, got " + auditParallelism);
        }
    }

    public static GatewayConfig defaults(Authenticator auth) {
        return new GatewayConfig("127.0.0.1", 0, auth, AccessPolicy.allowAll(), null, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(5),
                64 * 1024, Duration.ofSeconds(10), 2, CommandQuota.unlimited());
    }

    public GatewayConfig withAuditParallelism(int n) {
        return new GatewayConfig(host, port, auth, access, tls, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, n, quota);
    }

    public GatewayConfig withAddress(String h, int p) {
        return new GatewayConfig(h, p, auth, access, tls, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withTimeouts(Duration decision, Duration readWait, Duration send) {
        return new GatewayConfig(host, port, auth, access, tls, decision, readWait, send, bodyLimit, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withBodyLimit(long bytes) {
        return new GatewayConfig(host, port, auth, access, tls, decisionTimeout, readWaitTimeout, sendTimeout, bytes, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withAuth(Authenticator a) {
        return new GatewayConfig(host, port, a, access, tls, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withAccess(AccessPolicy policy) {
        return new GatewayConfig(host, port, auth, policy, tls, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withTls(GatewayTls files) {
        return new GatewayConfig(host, port, auth, access, files, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, auditParallelism, quota);
    }

    public GatewayConfig withQuota(CommandQuota q) {
        return new GatewayConfig(host, port, auth, access, tls, decisionTimeout, readWaitTimeout, sendTimeout, bodyLimit, readyStaleness, auditParallelism, q);
    }

    public String scheme() {
        return tls == null ? "http" : "https";
    }
}
