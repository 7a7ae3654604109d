package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.node.TopicBootstrap;
import io.coxswain.orchestrator.topology.Codecs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A deterministic, varied command log: each cluster is created, then receives config changes,
 * topic creations and deletions and executor observations in turn. Encoded once, up front, so the
 * producer measurement times Kafka, not Avro.
 */
final class CommandLoad {

    /** @param headers null for an unsigned record, else its signature header (see {@code SignedReplayBench}) */
    record Encoded(byte[] key, byte[] value, Headers headers) {
        Encoded(byte[] key, byte[] value) {
            this(key, value, null);
        }
    }

    private CommandLoad() {
    }

    /** The topics made, the schemas registered and the log generated, ready to produce: what each benchmark's log starts with. */
    static List<Encoded> prepare(String bootstrap, Topics topics, int commands, int clusters) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicBootstrap.ensure(admin, topics, 6, (short) 1);
        }
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of())) {
            ShippedSchemas.registerAll(registry, topics);
            return generate(commands, clusters, Codecs.of(registry, topics).commands());
        }
    }

    static List<Encoded> generate(int commands, int clusters, AvroWireCodec<Command> codec) {
        List<Encoded> out = new ArrayList<>(commands);
        Instant t0 = Instant.parse("2026-11-20T00:00:00Z");
        for (int i = 0; i < commands; i++) {
            int cluster = i % clusters;
            int round = i / clusters;
            String id = "bench-" + cluster;
            Instant at = t0.plusMillis(i);
            Command c = switch (round == 0 ? -1 : round % 4) {
                case -1 -> Commands.on(id).commandId("c" + i).issuedAt(at).issuer("bench").createCluster("4.1.0", 3, 3, "10Gi");
                case 0 -> Commands.on(id).commandId("c" + i).issuedAt(at).issuer("bench")
                        .updateBrokerConfig(Map.of("log.retention.ms", Integer.toString(round)), List.of());
                case 1 -> Commands.on(id).commandId("c" + i).issuedAt(at).issuer("bench").createTopic("t" + round, 6, 3, Map.of());
                case 2 -> Commands.on(id).commandId("c" + i).issuedAt(at).issuer("bench").deleteTopic("t" + (round - 1));
                default -> Commands.on(id).commandId("c" + i).issuedAt(at).issuer("executor")
                        .observation("bench", new ComponentObserved("brokers", 3, round % 4, List.of("4.1.0"), null));
            };
            out.add(new Encoded(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), codec.encode(c)));
        }
        return out;
    }

    /** Produces every record (acks=all, idempotent) and returns the elapsed nanoseconds. */
    static long produce(String bootstrap, String topic, List<Encoded> records, Consumer<String> progress) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5, "batch.size", 262_144, "compression.type", "none"), new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < records.size(); i++) {
                Encoded e = records.get(i);
                producer.send(new ProducerRecord<>(topic, null, e.key(), e.value(), e.headers()));
                if (i > 0 && i % 200_000 == 0) {
                    progress.accept("produced " + i);
                }
            }
            producer.flush();
            return System.nanoTime() - start;
        }
    }
}
