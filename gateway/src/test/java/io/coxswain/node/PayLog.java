package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.node.TopicBootstrap;
import io.coxswain.orchestrator.topology.Codecs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A command log written straight to fresh topics, with no node: cluster {@code pay} created at
 * 10:00 on 2026-11-20, scaled to 5 brokers a minute later, and scaled to 5 again (rejected: no
 * change) a minute after that. What a replay reads back: 3 commands, 2 accepted, 1 rejected.
 */
final class PayLog {

    static final Instant CREATED = Instant.parse("2026-11-20T10:00:00Z");

    private PayLog() {
    }

    /** Writes the log on fresh topics of the broker; their prefix. */
    static Topics write(String bootstrap) throws Exception {
        Topics topics = new Topics("t-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(admin)) {
            try {
                TopicBootstrap.ensure(a, topics, 2, (short) 1);
            } catch (IllegalStateException e) {
                TopicBootstrap.ensure(a, topics, 2, (short) 1); // just created, not yet described: the second pass finds them
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            ShippedSchemas.registerAll(registry, topics);
            Codecs codecs = Codecs.of(registry, topics);
            for (Command c : List.of(Commands.on("pay").issuedAt(CREATED).createCluster("4.1.0", 3, 3, "10Gi"),
                    Commands.on("pay").issuedAt(CREATED.plusSeconds(60)).scaleBrokers(5),
                    Commands.on("pay").issuedAt(CREATED.plusSeconds(120)).scaleBrokers(5))) {
                producer.send(new ProducerRecord<>(topics.commands(), null, c.getIssuedAt().toEpochMilli(),
                        c.getClusterId().getBytes(), codecs.commands().encode(c))).get();
            }
        }
        return topics;
    }
}
