package io.coxswain.orchestrator.node;

import io.coxswain.avro.registry.HttpSchemaRegistryClient;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.nodes.SchemaAnnouncement;
import io.coxswain.orchestrator.topology.Admission;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.CoxswainTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Coxswain node: checks its topics, registers its schemas, and runs the decide/fold topology
 * with exactly-once processing. Any number of nodes may run against one bootstrap Kafka; Kafka
 * Streams spreads the partitions (and so the clusters) between them.
 */
public final class CoxswainNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoxswainNode.class);
    /** How often the fold commits its transaction: decisions and states become readable then. */
    private static final int COMMIT_INTERVAL_MS = 10;

    private final NodeConfig config;
    private final SchemaRegistry registry;
    private final Codecs codecs;
    private final KafkaStreams streams;

    private CoxswainNode(NodeConfig config) {
        this.config = config;
        try (Admin admin = Admin.create(clientProps(config))) {
            TopicBootstrap.ensure(admin, config.topics(), config.partitions(), config.replicationFactor());
        }
        this.registry = config.schemaRegistryUrl() != null
                ? new HttpSchemaRegistryClient(config.schemaRegistryUrl())
                : new TopicSchemaRegistry(config.bootstrapServers(), config.topics().schemas(), config.streamsOverrides());
        ShippedSchemas.registerAll(registry, config.topics());
        this.codecs = Codecs.of(registry, config.topics());
        this.streams = new KafkaStreams(CoxswainTopology.build(config.topics(), codecs, new Admission(config.signatures().verifier())), streamsProps(config));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it. Processing resumes from the last committed transaction.", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts the node and waits until the topology is RUNNING. */
    public static CoxswainNode start(NodeConfig config, Duration timeout) {
        CoxswainNode node = starting(config);
        try {
            return node.awaitRunning(timeout);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * Checks the topics, registers the schemas and starts the topology, without waiting for it to run: what needs only the
     * topics and schemas (an executor) can start while Kafka Streams joins its group and restores its stores, and
     * {@link #awaitRunning} waits for the rest. The caller closes the node, whatever happens next.
     */
    public static CoxswainNode starting(NodeConfig config) {
        CoxswainNode node = new CoxswainNode(config);
        node.streams.start();
        return node;
    }

    /** Waits until the topology is RUNNING; throws if it stops or is not running within {@code timeout}. */
    public CoxswainNode awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped while starting (state " + streams.state() + "); see the log above");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topology not RUNNING after " + timeout.toSeconds() + "s (state " + streams.state()
                        + "); is Kafka at " + config.bootstrapServers() + " reachable?");
            }
            try {
                Thread.sleep(50); // polling the Streams state machine, which offers no blocking wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
        log.info("Coxswain node {} running against {} (topics {}*)", config.applicationId(), config.bootstrapServers(), config.topics().prefix());
        return this;
    }

    public NodeConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * The node's schema registry: the gateway, the executor and their replays in the node's process read and write
     * schemas through it rather than each opening one (a consumer reading the whole schemas topic, and a copy of every
     * schema, each). They borrow it; the node closes it, in {@link #close}, after they have stopped.
     */
    public SchemaRegistry registry() {
        return registry;
    }

    public Codecs codecs() {
        return codecs;
    }

    /** The state of a cluster whose partition this node hosts (empty if unknown here). */
    public Optional<ClusterState> localClusterState(String clusterId) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(
                StoreQueryParameters.fromNameAndType(CoxswainTopology.STATE_STORE, QueryableStoreTypes.keyValueStore()));
        return Optional.ofNullable(store.get(clusterId)).map(codecs.states()::decode);
    }

    static Properties clientProps(NodeConfig config) {
        Properties p = new Properties();
        config.streamsOverrides().forEach(p::put);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return p;
    }

    /**
     * The node's Kafka Streams settings (exactly-once, threads, commit interval, producer), overrides applied; the client id
     * announces the node's commands schema version ({@link SchemaAnnouncement}).
     */
    public static Properties streamsProps(NodeConfig config) {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        // The fold is CPU-bound: one stream thread per core (never more than there are partitions)
        // folded 1M commands ~1.5x faster than one thread on 2 cores (bench/).
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), config.partitions())));
        p.put("processing.exception.handler.global.enabled", true);
        // Decisions and states become visible only when the transaction commits, so the interval is
        // most of the command-to-readable latency: 20 ms cut POST ?wait=true p50 125 → 85 ms at
        // 1,000 commands/s, with no loss of fold throughput on 1M commands (bench/). 10 ms, two
        // alternating pairs of runs against 20: send → visible p50/p99 17.5/52.6 and 16.2/44.7 ms
        // against 23.6/60.1 and 20.5/51.8 at 1,000/s; the fold of 1M commands 42.5k and 33.3k against
        // 48.9k and 38.0k/s. A person or a pipeline waits on every command; a backlog of a platform's
        // commands is rare and short even at three quarters of the speed. The cost is twice the
        // transactions (two stream threads: 200 a second under load); where broker, node, gateway and
        // load generator share 2 cores (bench/), POST ?wait=true at 1,000/s saturates them and was no
        // faster for it (p50 71 and 42 ms against 57 and 39). On a quiet node every command waits
        // half as long for its commit.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a node that dies without leaving hands its clusters over after this long
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) config.sessionTimeout().toMillis());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // Nothing the fold sends is readable before its transaction commits, and the commit sends
        // whatever is still waiting; so a record may as well wait for a full batch until then. Fewer,
        // fuller produce requests. Alternating bench runs against linger.ms=0: 1M commands folded at
        // 36.9k and 41.1k against 29.7k and 28.6k/s (47-52 against 61-67 µs CPU per command); POST
        // ?wait=true p50/p99 at 1,000/s 60-62/167-177 against 61-96/191-271 ms (bench/).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), COMMIT_INTERVAL_MS);
        // With Kafka 4.3's transactions v2 every commit bumps the producer epoch; pipelined batches of
        // the next transaction then arrive ahead of its first batch and the broker rejects them with
        // OutOfOrderSequenceException (retried, but an ERROR storm on the broker and wasted round
        // trips; see bench/). One request in flight per connection avoids it at no measured cost.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.putAll(config.streamsOverrides());
        // the commands schema this node folds with, for a gateway to see before it writes a command an older node would not
        // read whole (SchemaAnnouncement); an operator's client.id is kept, the announcement appended
        Object base = p.getOrDefault(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId() + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(StreamsConfig.CLIENT_ID_CONFIG, SchemaAnnouncement.clientId(base.toString(), StoredCommands.CURRENT_VERSION));
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    @Override
    public void close() {
        // Leave the group on a clean stop, so the partitions move to the other nodes (or to this node's
        // next start) at once instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        registry.close();
        log.info("Coxswain node {} stopped", config.applicationId());
    }
}
