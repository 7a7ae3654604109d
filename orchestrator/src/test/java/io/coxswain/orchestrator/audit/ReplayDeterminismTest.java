package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.commands.Commands;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The claim of the design: replaying the command log gives the live state, byte for byte. A real node
 * folds a long varied log (see {@link VariedLog}, written with every shipped command schema version
 * and an older test-only writer); the replay must agree with it, here and on a copy on another Kafka,
 * and must notice a tampered state record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayDeterminismTest {

    private static final int CLUSTERS = 60;
    private static final int RANDOM_RECORDS = 3000;

    private static String bootstrap;
    private static Topics topics;
    private static Path stateDir;
    private static CoxswainNode node;
    private static List<AuditFixture.Raw> log;

    @BeforeAll
    static void writeLogThroughANode() throws IOException {
        bootstrap = SharedKafka.bootstrapServers();
        topics = AuditFixture.newTopics();
        stateDir = Files.createTempDirectory("audit-determinism");
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 3); // retries the topic-creation race a fresh start can hit
        node = CoxswainNode.start(AuditFixture.backlogNode(bootstrap, stateDir, topics, "audit-" + UUID.randomUUID()), Duration.ofSeconds(60));
        String subject = node.codecs().commands().subject();
        List<Schema> writers = new ArrayList<>(ShippedSchemas.history().get("commands"));
        Schema older = olderWriter();
        node.registry().register(subject, older);
        writers.add(older);
        long base = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        log = new VariedLog(42, node.codecs(), node.registry(), writers, base).generate(CLUSTERS, RANDOM_RECORDS).records();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            AuditFixture.send(producer, topics.commands(), log);
        }
        AuditFixture.awaitProcessed(bootstrap, topics, log.size(), Duration.ofSeconds(120));
    }

    static Schema olderWriter() throws IOException {
        try (InputStream in = ReplayDeterminismTest.class.getResourceAsStream("command-without-signature.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @AfterAll
    static void stop() {
        AuditFixture.stop(node, stateDir);
    }

    @Test
    @Order(1)
    void replayOfTheWholeLogIsByteIdenticalToTheLiveStates() {
        Set<String> types = new TreeSet<>();
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            ReplayResult result = replayer.replay(ReplayOptions.all(), e -> {
                if (e.command() != null) {
                    types.add(ReplayEngine.typeOf(e));
                    if (e.command().getPayload() instanceof RecordObservation o) {
                        types.add(((SpecificRecord) o.getObservation()).getSchema().getName());
                    }
                }
                return true;
            });
            ReplaySummary s = result.summary();
            assertThat(s.commands()).isEqualTo(log.size());
            assertThat(s.accepted() + s.rejected() + s.duplicates() + s.deadLettered()).isEqualTo(s.commands());
            assertThat(s.warnings()).isEmpty();

            // the replay's decisions are the node's decisions
            long accepted = 0;
            long rejected = 0;
            long duplicates = 0;
            for (ConsumerRecord<byte[], byte[]> r : AuditFixture.readAll(bootstrap, topics.events())) {
                Decision d = node.codecs().decisions().decode(r.headers(), r.value());
                if (d.getDuplicate()) {
                    duplicates++;
                } else if (d.getOutcome() instanceof CommandAccepted) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
            assertThat(List.of(s.accepted(), s.rejected(), s.duplicates())).containsExactly(accepted, rejected, duplicates);
            assertThat(s.deadLettered()).isEqualTo(AuditFixture.readAll(bootstrap, topics.deadLetter()).size())
                    .isGreaterThanOrEqualTo(VariedLog.POISON_KINDS.size());
            assertThat(s.accepted()).isGreaterThan(500);
            assertThat(s.rejected()).isGreaterThan(500);
            assertThat(s.duplicates()).isGreaterThan(50);
            assertThat(s.clusters()).isGreaterThan(CLUSTERS / 2);

            VerifyReport report = Verifier.verify(replayer, null);
            assertThat(report.differences()).isEmpty();
            assertThat(report.identical()).isTrue();
            assertThat(report.clusters()).isEqualTo(s.clusters());
            assertThat(report.notes()).as("every decision the node recorded is the replay's")
                    .contains((s.commands() - s.deadLettered()) + " decisions compared with those recorded on " + topics.events());
        }
        assertThat(types).contains("CreateCluster", "ScaleBrokers", "UpgradeKafka", "UpdateBrokerConfig", "CreateTopic", "UpdateTopicConfig",
                "DeleteTopic", "PauseReconciliation", "ResumeReconciliation", "DeleteCluster", "RecordObservation", "ComponentObserved",
                "OperationObserved", "OperationStepObserved", "ResourceActionObserved", "EndpointObserved", "ClusterRemovedObserved",
                "RetryOperation", "AbandonOperation", "RestartCluster", "TopicsObserved");
        assertThat(types).hasSize(Command.getClassSchema().getField("payload").schema().getTypes().size()
                + RecordObservation.getClassSchema().getField("observation").schema().getTypes().size());
    }

    @Test
    @Order(2)
    void aCopyOfTheTopicsOnAnotherKafkaReplaysAndVerifiesTheSame() throws Exception {
        Path dir = Files.createTempDirectory("audit-copy-kafka");
        try (EmbeddedKafka other = EmbeddedKafka.start(dir, 0)) {
            for (String topic : List.of(topics.commands(), topics.schemas(), topics.state())) {
                copy(topic, other.bootstrapServers());
            }
            try (Replayer there = new Replayer(LogLocation.of(other.bootstrapServers(), topics));
                 Replayer here = new Replayer(LogLocation.of(bootstrap, topics))) {
                ReplayResult copied = there.replay(ReplayOptions.all());
                ReplayResult original = here.replay(ReplayOptions.all());
                assertThat(copied.summary().commands()).isEqualTo(log.size());
                assertThat(StateJson.write(copied.toJson().get("states"), false)).isEqualTo(StateJson.write(original.toJson().get("states"), false));
                VerifyReport report = Verifier.verify(there, null);
                assertThat(report.differences()).isEmpty();
                assertThat(report.identical()).isTrue();
                assertThat(report.notes()).as("the copy has no events topic").anyMatch(n -> n.startsWith("decisions not compared: topic "
                        + topics.events() + " does not exist"));
            }
        } finally {
            SharedKafka.deleteQuietly(dir);
        }
    }

    private static boolean everyPartitionLed(Admin admin, String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream().allMatch(p -> p.leader() != null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // created on the controller, not yet in the broker's metadata
            }
            throw e;
        }
    }

    /** Raw copy: same partition, key, value, headers and timestamp; what an auditor's mirror would hold. */
    private static void copy(String topic, String target) {
        List<ConsumerRecord<byte[], byte[]>> records = AuditFixture.readAll(bootstrap, topic);
        try (Admin admin = Admin.create(props(target)); Admin source = Admin.create(props(bootstrap))) {
            int partitions = source.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            // a new topic's partitions get leaders a moment later, and the broker knows the topic itself only once
            // its metadata catches up with the controller's; a producer that starts earlier trips over it
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!everyPartitionLed(admin, topic)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no leaders for " + topic + " on the copy after 30s");
                }
                Thread.sleep(10); // polling the broker's metadata, under the deadline above
            }
        } catch (Exception e) {
            throw new AssertionError("creating " + topic + " on the copy failed", e);
        }
        // One request in flight, no idempotence: a fresh broker may still answer NOT_LEADER for a moment,
        // and the plain retry keeps the order (an idempotent producer tripped over its sequence numbers here).
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
        assertThat(AuditFixture.readAll(target, topic)).as("records copied to " + topic).hasSize(records.size());
    }

    private static Properties props(String servers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        return p;
    }

    @Test
    @Order(3)
    void verifyNamesTheFieldOfATamperedStateRecordAndAForgedCluster() {
        ClusterState live;
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            live = replayer.replay(ReplayOptions.all().cluster("c-script")).states().get("c-script");
        }
        ClusterState forged = ClusterState.newBuilder(live).build();
        forged.getSpec().setBrokers(99);
        ClusterState ghost = ClusterState.newBuilder(live).setClusterId("ghost").build();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            AuditFixture.send(producer, topics.state(), List.of(
                    new AuditFixture.Raw(AuditFixture.Raw.key("c-script"), node.codecs().states().encode(forged), null, System.currentTimeMillis()),
                    new AuditFixture.Raw(AuditFixture.Raw.key("ghost"), node.codecs().states().encode(ghost), null, System.currentTimeMillis())));
        }
        try (AuditService audit = new AuditService(LogLocation.of(bootstrap, topics), 1)) {
            VerifyReport report = audit.verify().toCompletableFuture().join();
            assertThat(report.identical()).isFalse();
            assertThat(report.differences()).hasSize(2);
            Difference brokers = report.differences().stream().filter(d -> d.clusterId().equals("c-script")).findFirst().orElseThrow();
            assertThat(brokers.path()).isEqualTo("spec.brokers");
            assertThat(brokers.replayed().asInt()).isEqualTo(live.getSpec().getBrokers());
            assertThat(brokers.live().asInt()).isEqualTo(99);
            assertThat(brokers.replayedVersion()).isEqualTo(live.getVersion());
            Difference forgedCluster = report.differences().stream().filter(d -> d.clusterId().equals("ghost")).findFirst().orElseThrow();
            assertThat(forgedCluster.replayedVersion()).isNull();
            assertThat(forgedCluster.explanation()).contains("not produced from this log");
            assertThat(report.toJson().get("identical").asBoolean()).isFalse();
        }
    }

    @Test
    @Order(4)
    void verifyNamesADecisionRecordedAgainSayingOtherwise() {
        ConsumerRecord<byte[], byte[]> first = AuditFixture.readAll(bootstrap, topics.events()).stream()
                .filter(r -> node.codecs().decisions().decode(r.headers(), r.value()).getOutcome() instanceof CommandAccepted).findFirst().orElseThrow();
        Decision accepted = node.codecs().decisions().decode(first.headers(), first.value());
        Decision forged = Decision.newBuilder(accepted).setOutcome(new CommandRejected(RejectionCode.NO_CHANGE, "forged", null)).build();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            AuditFixture.send(producer, topics.events(), List.of(new AuditFixture.Raw(first.key(), node.codecs().decisions().encode(forged), null,
                    System.currentTimeMillis())));
        }
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            VerifyReport report = Verifier.verify(replayer, accepted.getClusterId());
            assertThat(report.identical()).isFalse();
            assertThat(report.differences()).filteredOn(d -> d.path().startsWith("decision of ")).singleElement().satisfies(d -> {
                assertThat(d.clusterId()).isEqualTo(accepted.getClusterId());
                assertThat(d.path()).contains(accepted.getCommandId(), "offset " + accepted.getCommandOffset());
                assertThat(d.live().asText()).isEqualTo("rejected NO_CHANGE");
                assertThat(d.explanation()).contains("recorded twice", "first accepted, version " + ((CommandAccepted) accepted.getOutcome()).getVersion(),
                        "written by something other than Coxswain");
            });
        }
    }

    /**
     * A decision recorded before the node decided the command, saying otherwise: as if the rules had changed since.
     * The command goes to partition 0 at the offset the forged decision names; the node's own decision follows it.
     */
    @Test
    @Order(5)
    void verifyNamesACommandTheReplayDecidesOtherwiseThanRecorded() {
        long offset = AuditFixture.readAll(bootstrap, topics.commands()).stream().filter(r -> r.partition() == 0)
                .mapToLong(ConsumerRecord::offset).max().orElse(-1) + 1;
        Command create = Commands.on("c-forged").issuer("test").commandId("forged-create").createCluster("4.1.0", 3, 3, "10Gi");
        Decision forged = Decision.newBuilder().setCommandId("forged-create").setClusterId("c-forged").setCommandType("CreateCluster")
                .setIssuer("test").setIssuedAt(create.getIssuedAt()).setCommandOffset(offset)
                .setOutcome(new CommandRejected(RejectionCode.CLUSTER_EXISTS, "as a rule that no longer holds said", null)).build();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            AuditFixture.send(producer, topics.events(), List.of(new AuditFixture.Raw(AuditFixture.Raw.key("c-forged"),
                    node.codecs().decisions().encode(forged), null, System.currentTimeMillis())));
            producer.send(new ProducerRecord<>(topics.commands(), 0, AuditFixture.Raw.key("c-forged"), node.codecs().commands().encode(create)));
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (AuditFixture.readAll(bootstrap, topics.events()).stream()
                .filter(r -> node.codecs().decisions().decode(r.headers(), r.value()).getCommandId().equals("forged-create")).count() < 2) {
            assertThat(System.nanoTime()).as("the node's own decision of forged-create within 60 s").isLessThan(deadline);
        }
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            VerifyReport report = Verifier.verify(replayer, "c-forged");
            assertThat(report.identical()).isFalse();
            assertThat(report.differences()).filteredOn(d -> d.explanation().startsWith("decided otherwise by this replay")).singleElement()
                    .satisfies(d -> {
                        assertThat(d.path()).isEqualTo("decision of forged-create (CreateCluster, partition 0 offset " + offset + ")");
                        assertThat(d.replayed().asText()).isEqualTo("accepted, version 1");
                        assertThat(d.live().asText()).isEqualTo("rejected CLUSTER_EXISTS");
                        assertThat(d.explanation()).contains("the rules changed since");
                    });
            assertThat(report.differences()).as("and the node's own decision, recorded after it").anyMatch(d -> d.explanation().contains("recorded twice"));
        }
    }
}
