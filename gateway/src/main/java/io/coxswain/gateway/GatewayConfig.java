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
 * @param readWaitTimeout how long {@code GET /v1/clusters/{id}?minVersion=N} waits for version N, and an accepted
 *                        {@code ?wait=true} command for the read model to have its version
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
        return with(b -> b.auditParallelism = n);
    }

    public GatewayConfig withAddress(String h, int p) {
        return with(b -> {
            b.host = h;
            b.port = p;
        });
    }

    public GatewayConfig withTimeouts(Duration decision, Duration readWait, Duration send) {
        return with(b -> {
            b.decisionTimeout = decision;
            b.readWaitTimeout = readWait;
            b.sendTimeout = send;
        });
    }

    public GatewayConfig withBodyLimit(long bytes) {
        return with(b -> b.bodyLimit = bytes);
    }

    public GatewayConfig withAuth(Authenticator a) {
        return with(b -> b.auth = a);
    }

    public GatewayConfig withAccess(AccessPolicy policy) {
        return with(b -> b.access = policy);
    }

    public GatewayConfig withTls(GatewayTls files) {
        return with(b -> b.tls = files);
    }

    public GatewayConfig withQuota(CommandQuota q) {
        return with(b -> b.quota = q);
    }

    /** A copy with some settings changed: the one place that lists every component, so a new setting is added once. */
    private GatewayConfig with(java.util.function.Consumer<Copy> change) {
        Copy b = new Copy(this);
        change.accept(b);
        return new GatewayConfig(b.host, b.port, b.auth, b.access, b.tls, b.decisionTimeout, b.readWaitTimeout, b.sendTimeout, b.bodyLimit,
                b.readyStaleness, b.auditParallelism, b.quota);
    }

    /** The settings of a config being copied, each changeable. */
    private static final class Copy {
        String host;
        int port;
        Authenticator auth;
        AccessPolicy access;
        GatewayTls tls;
        Duration decisionTimeout;
        Duration readWaitTimeout;
        Duration sendTimeout;
        long bodyLimit;
        Duration readyStaleness;
        int auditParallelism;
        CommandQuota quota;

        Copy(GatewayConfig c) {
            host = c.host;
            port = c.port;
            auth = c.auth;
            access = c.access;
            tls = c.tls;
            decisionTimeout = c.decisionTimeout;
            readWaitTimeout = c.readWaitTimeout;
            sendTimeout = c.sendTimeout;
            bodyLimit = c.bodyLimit;
            readyStaleness = c.readyStaleness;
            auditParallelism = c.auditParallelism;
            quota = c.quota;
        }
    }

    public String scheme() {
        return tls == null ? "http" : "https";
    }
}
