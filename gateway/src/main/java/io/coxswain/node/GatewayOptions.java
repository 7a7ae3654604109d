package io.coxswain.node;

import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.auth.AccessPolicy;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.jwt.JwksSource;
import io.coxswain.gateway.auth.jwt.JwtVerifier;
import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.gateway.quota.CommandQuota;
import io.coxswain.gateway.tls.GatewayTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** HTTP gateway options shared by {@code dev} and {@code run}. */
public final class GatewayOptions {

    @Option(names = "--http-port", defaultValue = "8080", description = "Port of the HTTP gateway; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-host", description = "Interface the gateway binds (default: 127.0.0.1 for dev, 0.0.0.0 for run).")
    String httpHost;

    @Option(names = "--tokens-file", description = "Bearer tokens of the gateway's callers: one 'TOKEN PRINCIPAL' per line. The principal is recorded as the issuer of their commands.")
    Path tokensFile;

    @Option(names = "--roles-file", description = "Who may issue which commands on which clusters: 'role NAME COMMANDS CLUSTERS' and "
            + "'grant PRINCIPAL ROLE...' lines (see the README). Without it every authenticated caller may issue every command.")
    Path rolesFile;

    @Option(names = "--tls-cert", description = "Serve HTTPS with this PEM certificate (a chain may follow it), e.g. a Kubernetes TLS Secret's tls.crt; "
            + "re-read when the file changes.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "The PEM private key of --tls-cert, e.g. tls.key.")
    Path tlsKey;

    @Option(names = "--jwt-keys", paramLabel = "FILE|URL",
            description = "Also accept JWTs signed by a key of this JWKS: a file (re-read when it changes) or an http(s) URL (an identity"
                    + " provider's jwks_uri; re-fetched every 5 minutes and when a token names an unknown key). Needs --jwt-issuer and --jwt-audience.")
    String jwtKeys;

    @Option(names = "--jwt-keys-cacert", paramLabel = "FILE",
            description = "PEM CA certificates to trust, besides the JVM's own, when fetching an https --jwt-keys URL whose server has a private"
                    + " CA's certificate (an identity provider inside the cluster).")
    Path jwtKeysCaCert;

    @Option(names = "--jwt-issuer", description = "The 'iss' every JWT must carry, e.g. https://kubernetes.default.svc.cluster.local or your OIDC issuer URL.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", description = "A value the JWT's 'aud' must be or contain, e.g. coxswain.")
    String jwtAudience;

    @Option(names = "--jwt-principal-claim", defaultValue = "sub",
            description = "The JWT claim that names the caller: recorded as the issuer of its commands, granted roles in the roles file (default: ${DEFAULT-VALUE}).")
    String jwtPrincipalClaim;

    @Option(names = "--insecure-no-auth", description = "Run the gateway without authentication (every caller is 'anonymous'). Only for trusted networks.")
    boolean insecureNoAuth;

    @Option(names = "--decision-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long POST /v1/commands?wait=true waits for the decision (default: ${DEFAULT-VALUE}).")
    Duration decisionTimeout;

    @Option(names = "--read-wait-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long GET /v1/clusters/{id}?minVersion=N waits for version N, and POST /v1/commands?wait=true, once"
                    + " accepted, for this gateway's read model to have the new version (default: ${DEFAULT-VALUE}).")
    Duration readWaitTimeout;

    @Option(names = "--send-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long Kafka gets to commit a posted command before the caller gets 503 (default: ${DEFAULT-VALUE}).")
    Duration sendTimeout;

    @Option(names = "--max-body-bytes", defaultValue = "65536", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--audit-parallelism", defaultValue = "2",
            description = "Replays of the command log (asOf/atVersion, diff, audit, verify) that may run at once; more queue (default: ${DEFAULT-VALUE}).")
    int auditParallelism;

    @Option(names = "--command-rate", paramLabel = "PER_SECOND[:BURST]",
            description = "Commands each principal may write per second through this gateway, with an optional burst (default burst: twice the"
                    + " rate, at least 1), e.g. 20 or 20:100; more are answered 429 with Retry-After and not written. Default: no limit.")
    String commandRate;

    /**
     * Refuses authentication options that contradict or miss each other ({@code --insecure-no-auth} beside
     * credentials, JWT claims without keys): which one the operator meant cannot be guessed.
     */
    void refuseContradictoryAuth() {
        if (insecureNoAuth && (tokensFile != null || jwtKeys != null)) {
            throw new IllegalArgumentException("--insecure-no-auth contradicts --tokens-file and --jwt-keys; give one or the other");
        }
        if (jwtKeys == null && (jwtIssuer != null || jwtAudience != null || jwtKeysCaCert != null)) {
            throw new IllegalArgumentException("--jwt-issuer, --jwt-audience and --jwt-keys-cacert need --jwt-keys FILE|URL: the keys the JWTs are signed with");
        }
    }

    /** The JWT verifier the options ask for, or null without {@code --jwt-keys}; after {@link #refuseContradictoryAuth}. */
    JwtVerifier jwt() {
        if (jwtKeys == null) {
            return null;
        }
        JwtVerifier.Settings settings = new JwtVerifier.Settings(jwtIssuer, jwtAudience, jwtPrincipalClaim, JWT_LEEWAY);
        return new JwtVerifier(settings, JwksSource.of(jwtKeys, jwtKeysCaCert, JwksSource.UNKNOWN_KID_REFETCH), Clock.systemUTC());
    }

    /** Clocks of the token's issuer and of this gateway may differ by this much. */
    private static final Duration JWT_LEEWAY = Duration.ofSeconds(60);

    GatewayConfig config(String defaultHost, Authenticator auth) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both (the certificate and its private key) or neither");
        }
        return GatewayConfig.defaults(auth)
                .withTls(tlsCert == null ? null : GatewayTls.of(tlsCert, tlsKey, GatewayTls.DEFAULT_RELOAD))
                .withAccess(rolesFile == null ? AccessPolicy.allowAll() : AccessPolicy.load(rolesFile, JsonCommands.types()))
                .withAddress(host(defaultHost), httpPort)
                .withTimeouts(decisionTimeout, readWaitTimeout, sendTimeout)
                .withBodyLimit(maxBodyBytes)
                .withAuditParallelism(auditParallelism)
                .withQuota(commandRate == null ? CommandQuota.unlimited() : quota(commandRate));
    }

    /** The interface the gateway binds: {@code --http-host}, else the command's default. */
    String host(String defaultHost) {
        return httpHost != null ? httpHost : defaultHost;
    }

    /** {@code 20} or {@code 20:100}: rate per second and burst. */
    static CommandQuota quota(String value) {
        String[] parts = value.strip().split(":", -1);
        try {
            double rate = Double.parseDouble(parts[0]);
            int burst = parts.length > 1 ? Integer.parseInt(parts[1]) : (int) Math.max(1, Math.ceil(rate * 2));
            if (parts.length > 2) {
                throw new NumberFormatException();
            }
            return CommandQuota.of(rate, burst);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--command-rate must be PER_SECOND or PER_SECOND:BURST, e.g. 20 or 20:100; got '" + value + "'");
        }
    }

    /** Accepts 500ms, 15s, 2m, or a plain number of seconds. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        }
    }
}
