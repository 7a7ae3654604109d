package io.coxswain.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntSupplier;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka (combined broker + controller) running inside this JVM. Its
 * storage is formatted on first start and reused afterwards, so a restart with the same data
 * directory finds every record it had.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    /** Starts tried when a port picked free was taken before Kafka bound it. */
    private static final int STARTS = 3;

    private final Path dataDir;
    private final boolean pickPort;
    private final IntSupplier freePorts;
    private final Map<String, String> overrides;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, int port, Map<String, String> overrides, IntSupplier freePorts) {
        this.dataDir = dataDir;
        this.pickPort = port == 0;
        this.freePorts = freePorts;
        this.port = pickPort ? freePorts.getAsInt() : port;
        this.controllerPort = freePorts.getAsInt();
        this.overrides = Map.copyOf(overrides);
    }

    /** @param port 0 picks any free port */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        return start(dataDir, port, overrides, EmbeddedKafka::freePort);
    }

    /** @param freePorts where the ports Kafka is to bind come from (a port found free may be taken before Kafka binds it) */
    static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides, IntSupplier freePorts) {
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, port, overrides, freePorts);
        kafka.startServer();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void startServer() {
        Path logDir = dataDir.resolve("kafka");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + logDir, e);
        }
        for (int attempt = 1; ; attempt++) {
            KafkaConfig config = new KafkaConfig(properties(logDir), false);
            formatIfNew(config, logDir);
            KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                starting.startup();
                server = starting;
                log.info("Embedded Kafka listening on {} with data in {}", bootstrapServers(), logDir);
                return;
            } catch (RuntimeException e) {
                // a port found free is closed again before Kafka binds it, and another process may take it meanwhile: the
                // ports this class picked are picked again (a port the caller asked for is the caller's to choose again)
                if (attempt == STARTS || !portTaken(e)) {
                    throw e;
                }
                starting.shutdown();
                starting.awaitShutdown();
                log.warn("Embedded Kafka could not bind port {} or {} (taken since it was found free); trying other free ports",
                        port, controllerPort);
                port = pickPort ? freePorts.getAsInt() : port;
                controllerPort = freePorts.getAsInt();
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private Properties properties(Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // 128 MiB of heap per broker by default; a dev broker's compacted topics are tiny.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    private static void formatIfNew(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** Graceful shutdown; the data directory stays for the next start. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            log.info("Embedded Kafka on {} stopped", bootstrapServers());
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
