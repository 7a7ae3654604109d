package io.coxswain.sandbox.kafkapods;

import java.lang.reflect.Field;
import java.time.Duration;
import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * A Kafka node as a {@link KafkaRaftServer} in this JVM. Cheap to start (the classes and JIT are
 * shared), but a stop can never be a SIGKILL: the "forced" part of a stop is the broker giving up
 * on its controlled shutdown after the grace period, then closing anyway.
 */
final class InProcessNode implements NodeProcess {

    private static final Logger log = LoggerFactory.getLogger(InProcessNode.class);

    static {
        // A node that meets a fatal fault (a shutdown whose controllers are already gone, say) ends its process with
        // Kafka's Exit.exit or Exit.halt. A pod's process would end there; in this JVM it would end the host (a test run,
        // coxswain dev) without a word. Here it ends only the thread that asked, and says so.
        Exit.Procedure refuse = (status, message) -> {
            log.error("an in-process Kafka node asked to end the JVM (status {}{}); only its thread stops: a pod's process would end here",
                    status, message == null ? "" : ": " + message);
            throw new IllegalStateException("Kafka node exit (status " + status + ")" + (message == null ? "" : ": " + message));
        };
        Exit.setExitProcedure(refuse);
        Exit.setHaltProcedure(refuse);
    }

    private final LocalNodeConfig config;
    private KafkaRaftServer server;

    InProcessNode(LocalNodeConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        Storage.formatIfNew(config);
        server = new KafkaRaftServer(new KafkaConfig(config.properties(), false), Time.SYSTEM);
        server.startup();
    }

    @Override
    public void stop(Duration grace) {
        if (server == null) {
            return;
        }
        // KafkaRaftServer.shutdown() waits up to 5 minutes for a controlled shutdown; the broker's
        // own shutdown(timeout) bounds that wait by the pod's grace period instead.
        broker().ifPresent(b -> b.shutdown(grace));
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private java.util.Optional<BrokerServer> broker() {
        try {
            Field field = KafkaRaftServer.class.getDeclaredField("broker");
            field.setAccessible(true);
            Option<?> broker = (Option<?>) field.get(server);
            return broker.isDefined() ? java.util.Optional.of((BrokerServer) broker.get()) : java.util.Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a Kafka version without the field: fall back to KafkaRaftServer's own shutdown
            return java.util.Optional.empty();
        }
    }
}
