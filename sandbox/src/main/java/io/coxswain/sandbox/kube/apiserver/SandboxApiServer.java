package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's mock Kubernetes API server in CRUD mode on 127.0.0.1, over plain HTTP, with the
 * sandbox's dispatcher in front of the store. It runs for as long as a {@code dev} session, so it
 * also keeps the mock's request journal (meant for test assertions, never emptied) from growing
 * without bound and quiets the mock's per-request INFO logging.
 */
public final class SandboxApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxApiServer.class);
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger(MockWebServer.class.getName());

    private final MockWebServer webServer;
    private final KubernetesMockServer server;
    private final ScheduledExecutorService janitor;

    private SandboxApiServer(MockWebServer webServer, KubernetesMockServer server) {
        this.webServer = webServer;
        this.server = server;
        this.janitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-apiserver-janitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** @param port 0 picks any free port */
    public static SandboxApiServer start(int port) {
        MOCK_LOG.setLevel(Level.WARNING);
        InetAddress loopback;
        try {
            loopback = InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        MockWebServer webServer = new MockWebServer();
        BuiltInStatusCrudDispatcher store = new BuiltInStatusCrudDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), webServer,
                new HashMap<>(), new SandboxDispatcher(new Discovery(webServer::getPort), store), false);
        server.init(loopback, port);
        SandboxApiServer apiServer = new SandboxApiServer(webServer, server);
        apiServer.janitor.scheduleWithFixedDelay(webServer::reset, 10, 10, TimeUnit.SECONDS);
        log.info("Sandbox Kubernetes API server listening on {}", apiServer.url());
        return apiServer;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        janitor.shutdownNow();
        server.destroy();
        log.info("Sandbox Kubernetes API server on port {} stopped", port());
    }
}
