package io.coxswain.gateway;

import io.coxswain.commands.nodes.FoldMembers;
import io.coxswain.commands.nodes.NodeGate;
import io.coxswain.gateway.http.HttpApi;
import io.coxswain.gateway.metrics.GatewayMetrics;
import io.coxswain.gateway.readmodel.ReadModel;
import io.coxswain.gateway.tls.CertificateReloader;
import io.coxswain.gateway.write.CommandWriter;
import io.coxswain.orchestrator.audit.AuditService;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway of one node: a read model of the whole state (see {@link ReadModel}), a
 * transactional command writer, and the Vert.x server. Vert.x lives only here and in the
 * {@code http} and {@code registry} packages; the core it calls is plain Java.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final ReadModel model;
    private final CommandWriter writer;
    private final HttpServer server;
    private final Router router;
    private final GatewayMetrics metrics;
    private final AuditService audit;
    private final FoldMembers foldMembers;

    private Gateway(Vertx vertx, GatewayConfig config, ReadModel model, CommandWriter writer, HttpServer server, Router router,
                    GatewayMetrics metrics, AuditService audit, FoldMembers foldMembers) {
        this.vertx = vertx;
        this.config = config;
        this.model = model;
        this.writer = writer;
        this.server = server;
        this.router = router;
        this.metrics = metrics;
        this.audit = audit;
        this.foldMembers = foldMembers;
    }

    /**
     * Starts the gateway of {@code node}: reads the topics up to their end (at most
     * {@code catchUp}), then listens. Throws with the reason if it cannot.
     */
    public static Gateway start(CoxswainNode node, GatewayConfig config, Duration catchUp) {
        NodeConfig nc = node.config();
        Clock clock = Clock.systemUTC();
        GatewayMetrics metrics = new GatewayMetrics();
        ReadModel model = new ReadModel(nc.bootstrapServers(), nc.topics(), node.codecs(), nc.streamsOverrides(), clock);
        metrics.bind(model, clock);
        model.start();
        CommandWriter writer = null;
        Vertx vertx = null;
        AuditService audit = null;
        FoldMembers foldMembers = null;
        try {
            if (!model.awaitFirstSync(catchUp)) {
                throw new IllegalStateException("the gateway's read model did not catch up with " + nc.topics().prefix() + "* on "
                        + nc.bootstrapServers() + " within " + catchUp.toSeconds() + "s; is Kafka reachable?");
            }
            node.codecs().commands().writerSchemaId(); // fail now, not on the first POST, if the schema is missing
            writer = new CommandWriter(nc.bootstrapServers(), nc.topics(), node.codecs().commands(), nc.streamsOverrides(),
                    config.sendTimeout(), "coxswain-gateway-writer-" + nc.applicationId() + "-" + UUID.randomUUID().toString().substring(0, 8),
                    nc.signatures().signer());
            // past states, diffs, audit and verify replay the command log on the audit service's own threads, reading its
            // schemas through the node's registry (the node closes it)
            audit = new AuditService(new LogLocation(nc.bootstrapServers(), nc.topics(), nc.streamsOverrides(), nc.schemaRegistryUrl()),
                    config.auditParallelism(), nc.signatures().verifier(), node.registry());
            // the fold's group is the nodes' application id: its members announce their commands schema versions
            foldMembers = new FoldMembers("coxswain-gateway-nodes", nc.bootstrapServers(), nc.streamsOverrides(), nc.applicationId(), clock);
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
            HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port()).setCompressionSupported(true);
            if (config.tls() != null) {
                options.setSsl(true).setKeyCertOptions(config.tls().keyCertOptions());
            }
            Router router = HttpApi.router(vertx, config, model, writer, node.registry(), audit, () -> node.streams().state().name(), metrics, clock,
                    new NodeGate(foldMembers, node.codecs().commands(), "this gateway"));
            HttpServer server = vertx.createHttpServer(options)
                    .requestHandler(router)
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (config.tls() != null) {
                CertificateReloader reloader = CertificateReloader.watch(vertx, server, config.tls());
                metrics.bindTls(reloader::notAfterSeconds);
            }
            log.info("Gateway listening on {}://{}:{} ({}; {})", config.scheme(), config.host(), server.actualPort(),
                    config.auth().describe(),
                    config.tls() != null ? "TLS certificate " + config.tls().describe() : "plain HTTP: no TLS");
            return new Gateway(vertx, config, model, writer, server, router, metrics, audit, foldMembers);
        } catch (Exception e) {
            if (vertx != null) {
                vertx.close();
            }
            if (writer != null) {
                writer.close();
            }
            if (audit != null) {
                audit.close();
            }
            if (foldMembers != null) {
                foldMembers.close();
            }
            model.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (taken(e)) {
                // the launcher's check found the port free, but something bound it since: say so, and the way out
                throw new IllegalStateException("gateway failed to start: " + PortTaken.message(config.host(), config.port(), "--http-port"),
                        e);
            }
            throw new IllegalStateException("gateway failed to start on " + config.host() + ":" + config.port() + ": "
                    + (e.getCause() != null && e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** Whether {@code e} says the port is in use (Vert.x fails the listen with the JDK's BindException). */
    private static boolean taken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException && String.valueOf(t.getMessage()).contains("in use")) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.actualPort();
    }

    /** The URL that local clients use, e.g. {@code http://127.0.0.1:8080} or {@code https://127.0.0.1:8443}. */
    public String url() {
        return config.scheme() + "://127.0.0.1:" + port();
    }

    /** The routes this gateway answers, in the order they are tried: what a guard in front of them must cover. */
    List<Route> routes() {
        return router.getRoutes();
    }

    public ReadModel readModel() {
        return model;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Vert.x did not stop cleanly: {}", e.toString());
        }
        audit.close();
        writer.close();
        foldMembers.close();
        model.close();
        config.auth().close(); // stops a JWKS URL's refresh thread
        log.info("Gateway on port {} stopped", server.actualPort());
    }
}
