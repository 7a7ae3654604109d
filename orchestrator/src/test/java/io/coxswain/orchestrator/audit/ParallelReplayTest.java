package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replay folds each partition on a thread of its own; an auditor must get exactly what the serial
 * fold (the one a per-record listener sees) gives: the same states, the same counts, the same
 * warnings, on a log with every kind of record and a cluster whose commands were split over two
 * partitions by a producer that ignored the key.
 */
class ParallelReplayTest {

    private static final int PARTITIONS = 5;
    private static final String SPLIT = "split-cluster";

    private static LogLocation where;

    @BeforeAll
    static void writeAVariedLog() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = AuditFixture.newTopics();
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, PARTITIONS);
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
             KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            Codecs codecs = Codecs.of(registry, topics);
            AuditFixture.send(producer, topics.commands(), new VariedLog(11, codecs, registry, ShippedSchemas.history().get("commands"),
                    Instant.now().minusSeconds(3600).toEpochMilli()).random(40, 6_000).records());
            // the same cluster created in two partitions: each partition's fold accepts it, as the live one did
            for (int partition : new int[] {1, 3}) {
                byte[] create = codecs.commands().encode(Commands.on(SPLIT).issuer("test").createCluster("4.1.0", 3, 3, "10Gi"));
                producer.send(new ProducerRecord<>(topics.commands(), partition, SPLIT.getBytes(StandardCharsets.UTF_8), create)).get();
            }
            byte[] pause = codecs.commands().encode(Commands.on(SPLIT).issuer("test").pause("audit"));
            producer.send(new ProducerRecord<>(topics.commands(), 3, SPLIT.getBytes(StandardCharsets.UTF_8), pause)).get();
        }
        where = LogLocation.of(bootstrap, topics);
    }

    @Test
    void theParallelReplayGivesWhatTheSerialFoldGives() {
        try (Replayer replayer = new Replayer(where)) {
            ReplayResult serial = replayer.replay(ReplayOptions.all(), e -> true);
            ReplayResult parallel = replayer.replay(ReplayOptions.all());

            assertThat(serial.summary().commands()).isEqualTo(6_000 + 3);
            assertThat(serial.summary().deadLettered()).isPositive();
            assertThat(serial.summary().duplicates()).isPositive();
            assertThat(serial.summary().rejected()).isPositive();
            assertThat(parallel.summary()).isEqualTo(serial.summary());
            assertThat(parallel.states()).isEqualTo(serial.states());
            assertThat(parallel.summary().warnings()).anyMatch(w -> w.contains(SPLIT) && w.contains("[1, 3]"));
            ClusterState split = parallel.states().get(SPLIT);
            assertThat(split.getVersion()).as("the partition that went further wins").isEqualTo(2);
            assertThat(split.getSpec().getPaused()).isTrue();
        }
    }

    @Test
    void aReplayUpToAnOffsetOrForOneClusterAgreesWithTheSerialFoldToo() {
        try (Replayer replayer = new Replayer(where)) {
            for (ReplayOptions options : List.of(ReplayOptions.all().untilOffset(500), ReplayOptions.all().cluster(SPLIT),
                    ReplayOptions.all().cluster("c-007"))) {
                ReplayResult serial = replayer.replay(options, e -> true);
                ReplayResult parallel = replayer.replay(options);
                assertThat(parallel.summary()).as("%s", options).isEqualTo(serial.summary());
                assertThat(parallel.states()).as("%s", options).isEqualTo(serial.states());
                assertThat(parallel.states()).as("%s", options).isNotEmpty();
            }
        }
    }

    @Test
    void aReplayThatFoldsNothingEndsWithEmptyStatesAndCountsWhatItSkipped() {
        try (Replayer replayer = new Replayer(where)) {
            ReplayResult none = replayer.replay(ReplayOptions.all().cluster("no-such-cluster"));
            assertThat(none.states()).isEmpty();
            assertThat(none.summary().commands()).isZero();
            assertThat(none.summary().skipped()).isEqualTo(6_000 + 3);
        }
    }
}
