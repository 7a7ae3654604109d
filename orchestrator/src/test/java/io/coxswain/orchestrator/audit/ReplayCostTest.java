package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what AuditService's choice (bounded replay, no per-version index) costs, and prints it:
 * plain fetch of the log, full replay, a state at a late version, and the size a per-version index
 * would need for the same log. Asserts only generous bounds; the numbers are for the documentation.
 */
class ReplayCostTest {

    private static final Logger log = LoggerFactory.getLogger(ReplayCostTest.class);
    private static final int RECORDS = 20_000;
    private static final int CLUSTERS = 200;

    @Test
    void measureBoundedReplayAgainstAPerVersionIndex() {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = AuditFixture.newTopics();
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 3);
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
             KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            Codecs codecs = Codecs.of(registry, topics);
            List<AuditFixture.Raw> records = new VariedLog(7, codecs, registry, ShippedSchemas.history().get("commands"),
                    Instant.now().minusSeconds(3600).toEpochMilli()).random(CLUSTERS, RECORDS).records();
            AuditFixture.send(producer, topics.commands(), records);
        }
        LogLocation where = LogLocation.of(bootstrap, topics);
        try (Replayer replayer = new Replayer(where)) {
            replayer.replay(ReplayOptions.all()); // warm up: class loading, registry cache, JIT

            long t = System.nanoTime();
            long[] fetched = {0};
            TopicScan.scan(where, topics.commands(), r -> {
                fetched[0]++;
                return TopicScan.Verdict.CONTINUE;
            });
            long fetchMs = ms(t);

            long[] indexBytes = {0};
            long[] versions = {0};
            t = System.nanoTime();
            ReplayResult full = replayer.replay(ReplayOptions.all(), e -> {
                if (e.accepted()) {
                    versions[0]++;
                    indexBytes[0] += codecs(replayer).states().avroBytes(e.after()).length;
                }
                return true;
            });
            long fullMs = ms(t);
            t = System.nanoTime();
            replayer.replay(ReplayOptions.all());
            long fullPlainMs = ms(t);

            String busiest = full.states().values().stream().max((a, b) -> Long.compare(a.getVersion(), b.getVersion())).orElseThrow().getClusterId();
            long latest = full.states().get(busiest).getVersion();
            t = System.nanoTime();
            Optional<ClusterState> late = ClusterHistory.atVersion(replayer, busiest, latest);
            long atVersionMs = ms(t);
            t = System.nanoTime();
            ClusterHistory.atVersion(replayer, busiest, 1);
            long earlyMs = ms(t);

            assertThat(fetched[0]).isEqualTo(RECORDS);
            assertThat(late).isPresent();
            log.info("REPLAY COST ({} records, {} clusters, {} accepted versions, 3 partitions, embedded broker):", RECORDS, CLUSTERS, versions[0]);
            log.info("  plain fetch of the command topic : {} ms ({} records/s)", fetchMs, perSecond(RECORDS, fetchMs));
            log.info("  full replay (decode + fold all)  : {} ms ({} records/s)", fullPlainMs, perSecond(RECORDS, fullPlainMs));
            log.info("  full replay + state-size tally   : {} ms", fullMs);
            log.info("  atVersion, latest of busiest     : {} ms (cluster {} v{})", atVersionMs, busiest, latest);
            log.info("  atVersion 1 (stops early)        : {} ms", earlyMs);
            log.info("  per-version index would hold     : {} versions, {} KB of Avro ({} bytes/version)", versions[0],
                    indexBytes[0] / 1024, versions[0] == 0 ? 0 : indexBytes[0] / versions[0]);
            assertThat(fullPlainMs).isLessThan(60_000);
        }
    }

    private static Codecs codecs(Replayer r) {
        return r.codecs();
    }

    private static long ms(long startNanos) {
        return Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static long perSecond(long n, long millis) {
        return n * 1000 / millis;
    }
}
