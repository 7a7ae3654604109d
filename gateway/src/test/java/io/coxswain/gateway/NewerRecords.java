package io.coxswain.gateway;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.orchestrator.NewerWriters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records as a newer Coxswain writes them during a rolling upgrade ({@link NewerWriters}: its commands or state schema,
 * registered in the harness node's registry), written by the test straight to the node's topics, as that Coxswain's
 * gateway or fold would: for what a gateway not yet upgraded shows of them.
 */
final class NewerRecords {

    /** The newer commands schema: a command type ({@code DrainBroker}) and fields this Coxswain lacks. */
    static final Schema COMMANDS = NewerWriters.commandsSchema();
    /** The newer events schema: an outcome type ({@code CommandDeferred}) and a field this Coxswain lacks. */
    static final Schema EVENTS = NewerWriters.eventsSchema();

    private NewerRecords() {
    }

    /** A RestartCluster of bob's on {@code clusterId}, whose payload a newer writer may replace ({@link NewerWriters#drainBroker}). */
    static Command carrier(String clusterId, String commandId) {
        return JsonCommands.parse(("{\"commandId\":\"" + commandId + "\",\"clusterId\":\"" + clusterId + "\",\"type\":\"RestartCluster\","
                + "\"payload\":{\"reason\":\"carrier\"}}").getBytes(StandardCharsets.UTF_8), "bob", Instant.now());
    }

    /** Writes {@code command} to the commands topic as {@link #COMMANDS} would, {@code set} putting in what only it has. */
    static void command(GatewayHarness h, Command command, Consumer<GenericRecord> set) {
        write(h, h.node.config().topics().commands(), command.getClusterId(), NewerWriters.encode(h.node.registry(), h.node.codecs().commands(),
                COMMANDS, command, set));
    }

    /** Writes {@code state} to the state topic as {@link NewerWriters#stateSchema} would, {@code set} putting in what only it has; returns the bytes written. */
    static byte[] state(GatewayHarness h, ClusterState state, Consumer<GenericRecord> set) {
        byte[] value = NewerWriters.encode(h.node.registry(), h.node.codecs().states(), NewerWriters.stateSchema(), state, set);
        write(h, h.node.config().topics().state(), state.getClusterId(), value);
        return value;
    }

    /** Writes {@code state} to the state topic as this Coxswain does: a state a gateway reads whole. */
    static void currentState(GatewayHarness h, ClusterState state) {
        write(h, h.node.config().topics().state(), state.getClusterId(), h.node.codecs().states().encode(state));
    }

    /** Writes {@code command} to the commands topic as this Coxswain does; returns its offset. */
    static long currentCommand(GatewayHarness h, Command command) {
        return write(h, h.node.config().topics().commands(), command.getClusterId(), h.node.codecs().commands().encode(command));
    }

    /**
     * Writes {@code decision} to the events topic as {@link NewerWriters#eventsSchema} would, {@code set} putting in what only
     * it has: a decision a newer fold wrote. Returns its offset.
     */
    static long decision(GatewayHarness h, Decision decision, Consumer<GenericRecord> set) {
        return decision(h, decision.getClusterId(), NewerWriters.encode(h.node.registry(), h.node.codecs().decisions(), EVENTS, decision, set));
    }

    /** Writes {@code value} to the events topic under {@code clusterId}, as a fold writes a decision; returns its offset. */
    static long decision(GatewayHarness h, String clusterId, byte[] value) {
        return write(h, h.node.config().topics().events(), clusterId, value);
    }

    private static long write(GatewayHarness h, String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.node.config().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get().offset();
        } catch (Exception e) {
            throw new AssertionError("writing " + key + "'s record to " + topic + " as a newer Coxswain: " + e, e);
        }
    }
}
