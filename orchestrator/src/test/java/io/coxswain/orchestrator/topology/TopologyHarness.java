package io.coxswain.orchestrator.topology;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.state.ClusterState;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/** The real topology on Kafka Streams' test driver, with the shipped schemas in an in-memory registry. */
final class TopologyHarness implements AutoCloseable {

    final Topics topics = Topics.defaults();
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final Codecs codecs;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> commands;
    final TestOutputTopic<String, byte[]> events;
    final TestOutputTopic<String, byte[]> states;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private int issued;

    TopologyHarness() {
        this(Admission.permissive());
    }

    TopologyHarness(Admission admission) {
        ShippedSchemas.registerAll(registry, topics);
        codecs = Codecs.of(registry, topics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // a directory of its own: the driver deletes its state directory on close, and test JVMs run side by side
        props.put(StreamsConfig.STATE_DIR_CONFIG, tempDirectory("topology-test"));
        driver = new TopologyTestDriver(CoxswainTopology.build(topics, codecs, admission), props);
        commands = driver.createInputTopic(topics.commands(), new ByteArraySerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(topics.events(), new StringDeserializer(), new ByteArrayDeserializer());
        states = driver.createOutputTopic(topics.state(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static String tempDirectory(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Commands by alice on {@code cluster}, each issued a second after the one before. */
    io.coxswain.commands.CommandBuilder on(String cluster) {
        return io.coxswain.commands.Commands.on(cluster).issuer("alice")
                .issuedAt(java.time.Instant.parse("2026-12-01T10:00:00Z").plusSeconds(issued++));
    }

    /** Pipes the command keyed by its cluster id and returns the one decision it produced. */
    Decision send(Command c) {
        pipeRaw(c.getClusterId(), codecs.commands().encode(c), new RecordHeaders());
        return nextDecision();
    }

    /** Pipes the command's wire bytes, signed by {@code signer} (null: unsigned), and returns its one decision. */
    Decision send(Command c, io.coxswain.commands.signing.CommandSigner signer) {
        byte[] value = codecs.commands().encode(c);
        pipeRaw(c.getClusterId(), value, signer == null ? new RecordHeaders() : TestSigningKeys.signed(signer, value));
        return nextDecision();
    }

    /** Pipes the command as {@code newer} writes it ({@code NewerWriters.encode}) and returns its one decision. */
    Decision sendAsNewer(org.apache.avro.Schema newer, Command c, java.util.function.Consumer<org.apache.avro.generic.GenericRecord> set) {
        pipeRaw(c.getClusterId(), io.coxswain.orchestrator.NewerWriters.encode(registry, codecs.commands(), newer, c, set), new RecordHeaders());
        return nextDecision();
    }

    void pipeRaw(String key, byte[] value, Headers headers) {
        commands.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(), value, headers));
    }

    Decision nextDecision() {
        List<byte[]> values = events.readValuesToList();
        if (values.size() != 1) {
            throw new AssertionError("expected exactly one decision, got " + values.size());
        }
        return codecs.decisions().decode(values.get(0));
    }

    ClusterState state(String clusterId) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(CoxswainTopology.STATE_STORE);
        byte[] bytes = store.get(clusterId);
        return bytes == null ? null : codecs.states().decode(bytes);
    }

    static long acceptedVersion(Decision d) {
        if (d.getOutcome() instanceof CommandAccepted a) {
            return a.getVersion();
        }
        throw new AssertionError("expected accepted, got " + d.getOutcome());
    }

    /** How many approvals an accepted command awaits: 0 when it was applied. */
    static int awaitingApprovals(Decision d) {
        if (d.getOutcome() instanceof CommandAccepted a) {
            return a.getAwaitingApprovals();
        }
        throw new AssertionError("expected accepted, got " + d.getOutcome());
    }

    /** How the latest proposal on {@code clusterId} ended. */
    io.coxswain.avro.state.ProposalOutcome lastOutcome(String clusterId) {
        List<io.coxswain.avro.state.ProposalOutcome> outcomes = state(clusterId).getStatus().getProposalOutcomes();
        return outcomes.get(outcomes.size() - 1);
    }

    static CommandRejected rejected(Decision d) {
        if (d.getOutcome() instanceof CommandRejected r) {
            return r;
        }
        throw new AssertionError("expected rejected, got " + d.getOutcome());
    }

    @Override
    public void close() {
        driver.close();
    }
}
