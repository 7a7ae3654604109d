package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.node.TopicBootstrap;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code coxswain replay} end to end on a small log: JSON out, exit codes, --verify without a node. */
class ReplayCommandTest {

    private static String bootstrap;
    private static Topics topics;

    @BeforeAll
    static void writeLog() throws Exception {
        bootstrap = SharedKafka.bootstrapServers();
        topics = new Topics("t-" + UUID.randomUUID().toString().substring(0, 8) + ".");
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
            Instant t = Instant.parse("2026-11-20T10:00:00Z");
            for (Command c : List.of(Commands.on("pay").issuedAt(t).createCluster("4.1.0", 3, 3, "10Gi"),
                    Commands.on("pay").issuedAt(t.plusSeconds(60)).scaleBrokers(5),
                    Commands.on("pay").issuedAt(t.plusSeconds(120)).scaleBrokers(5))) {
                producer.send(new ProducerRecord<>(topics.commands(), null, c.getIssuedAt().toEpochMilli(),
                        c.getClusterId().getBytes(), codecs.commands().encode(c))).get();
            }
        }
    }

    private static int run(String... args) {
        return new CommandLine(new CoxswainMain()).execute(args);
    }

    @Test
    void writesTheSummaryAndStatesAsJsonAndStopsAtATime() throws Exception {
        Path out = Files.createTempFile("replay", ".json");
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--out", out.toString())).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.at("/summary/commands").asLong()).isEqualTo(3);
        assertThat(json.at("/summary/accepted").asLong()).isEqualTo(2);
        assertThat(json.at("/summary/rejected").asLong()).isEqualTo(1);
        assertThat(json.at("/states/pay/spec/brokers").asInt()).isEqualTo(5);
        assertThat(json.at("/states/pay/version").asLong()).isEqualTo(2);

        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--cluster", "pay",
                "--to", "2026-11-20T10:00:30Z", "--out", out.toString())).isZero();
        assertThat(new ObjectMapper().readTree(out.toFile()).at("/states/pay/spec/brokers").asInt()).isEqualTo(3);
        Files.deleteIfExists(out);
    }

    @Test
    void exitCodesSayWhatHappened() {
        // no node has written the state topic: every replayed cluster is missing there
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--verify", "--out",
                System.getProperty("java.io.tmpdir") + "/replay-verify-" + UUID.randomUUID() + ".json")).isEqualTo(1);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--verify", "--to-offset", "3")).isEqualTo(2);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--to", "yesterday")).isEqualTo(2);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", "no-such-prefix.")).isEqualTo(3);
    }
}
