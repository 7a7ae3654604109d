package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.commands.signing.CommandSignatures;
import io.coxswain.commands.signing.CommandSigner;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.orchestrator.topology.TestSigningKeys;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that requires signatures folds a log of signed, unsigned and forged commands; a replay given
 * the same keys and flag decides every record as the node did, serially and in parallel, and one given
 * other signature rules differs and says why.
 */
class SignedLogReplayTest {

    private static final int CLUSTERS = 8;

    private static final TestSigningKeys KEYS = new TestSigningKeys();
    private static final SignatureVerifier NODE_RULES = new SignatureVerifier(KEYS.keys, true);
    private static String bootstrap;
    private static Topics topics;
    private static Path stateDir;
    private static CoxswainNode node;
    private static int records;

    @BeforeAll
    static void foldASignedLog() throws Exception {
        bootstrap = SharedKafka.bootstrapServers();
        topics = AuditFixture.newTopics();
        stateDir = Files.createTempDirectory("signed-replay");
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 3);
        node = CoxswainNode.start(NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId("signed-" + UUID.randomUUID())
                .withPartitions(3, (short) 1).withSignatures(new CommandSignatures(NODE_RULES, KEYS.ops())), Duration.ofSeconds(60));
        List<AuditFixture.Raw> log = new ArrayList<>();
        long t = Instant.now().minusSeconds(600).toEpochMilli();
        for (int i = 0; i < CLUSTERS; i++) {
            String c = "signed-" + i;
            CommandSigner own = i % 2 == 0 ? KEYS.ops() : KEYS.service();
            log.add(raw(on(c).createCluster("4.1.0", 3, 3, "10Gi"), own, t++));
            log.add(raw(on(c).scaleBrokers(4), null, t++));                              // unsigned
            log.add(raw(on(c).commandId("id-" + i).scaleBrokers(1), KEYS.forger(), t++)); // forged, takes a real id first
            log.add(raw(on(c).commandId("id-" + i).scaleBrokers(5), own, t++));           // the real one: accepted
            log.add(raw(on(c).commandId("id-" + i).scaleBrokers(5), own, t++));           // resent: a duplicate
            log.add(raw(on(c).upgradeKafka("4.2.0"), i % 3 == 0 ? KEYS.forger() : own, t++));
        }
        records = log.size();
        try (KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            AuditFixture.send(producer, topics.commands(), log);
        }
        AuditFixture.awaitProcessed(bootstrap, topics, records, Duration.ofSeconds(60));
    }

    private static CommandBuilder on(String cluster) {
        return Commands.on(cluster).issuer("billing");
    }

    private static AuditFixture.Raw raw(Command c, CommandSigner signer, long timestamp) {
        byte[] value = node.codecs().commands().encode(c);
        return new AuditFixture.Raw(AuditFixture.Raw.key(c.getClusterId()), value,
                signer == null ? new RecordHeaders() : TestSigningKeys.signed(signer, value), timestamp);
    }

    @AfterAll
    static void stop() {
        AuditFixture.stop(node, stateDir);
    }

    @Test
    void withTheNodesKeysTheSerialAndParallelReplaysDecideAsTheNodeDid() {
        long liveSignatureRejections = 0;
        long liveAccepted = 0;
        long liveDuplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : AuditFixture.readAll(bootstrap, topics.events())) {
            Decision d = node.codecs().decisions().decode(r.headers(), r.value());
            if (d.getDuplicate()) {
                liveDuplicates++;
            } else if (d.getOutcome() instanceof CommandAccepted) {
                liveAccepted++;
            } else if (((CommandRejected) d.getOutcome()).getCode() == RejectionCode.SIGNATURE_INVALID) {
                liveSignatureRejections++;
            }
        }
        assertThat(liveSignatureRejections).isEqualTo(CLUSTERS * 2 + (CLUSTERS + 2) / 3);
        assertThat(liveDuplicates).isEqualTo(CLUSTERS);

        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics), NODE_RULES)) {
            List<Decision> serialDecisions = new ArrayList<>();
            ReplayResult serial = replayer.replay(ReplayOptions.all(), e -> serialDecisions.add(e.decision()));
            ReplayResult parallel = replayer.replay(ReplayOptions.all());
            assertThat(parallel.summary()).isEqualTo(serial.summary());
            assertThat(parallel.states()).isEqualTo(serial.states());
            assertThat(serial.summary().commands()).isEqualTo(records);
            assertThat(serial.summary().accepted()).isEqualTo(liveAccepted);
            assertThat(serial.summary().duplicates()).isEqualTo(liveDuplicates);
            assertThat(serialDecisions.stream().filter(d -> !d.getDuplicate() && d.getOutcome() instanceof CommandRejected r
                    && r.getCode() == RejectionCode.SIGNATURE_INVALID)).hasSize((int) liveSignatureRejections);
            for (ReplayResult result : List.of(serial, parallel)) {
                VerifyReport report = Verifier.compare(replayer, result, null);
                assertThat(report.differences()).isEmpty();
                assertThat(report.identical()).isTrue();
                assertThat(report.clusters()).isEqualTo(CLUSTERS);
            }
            assertThat(serial.states().get("signed-1").getSpec().getBrokers()).isEqualTo(5);
        }
    }

    @Test
    void aReplayWithOtherSignatureRulesDiffersAndNamesTheCause() {
        try (Replayer withoutKeys = new Replayer(LogLocation.of(bootstrap, topics))) {
            ReplayResult result = withoutKeys.replay(ReplayOptions.all());
            VerifyReport report = Verifier.compare(withoutKeys, result, null);
            assertThat(report.identical()).isFalse();
            assertThat(report.notes()).anyMatch(n -> n.contains("rejected SIGNATURE_INVALID") && n.contains("no --command-keys file")
                    && n.contains("--require-signatures"));
        }
        try (Replayer notRequired = new Replayer(LogLocation.of(bootstrap, topics), new SignatureVerifier(KEYS.keys, false))) {
            ReplayResult result = notRequired.replay(ReplayOptions.all());
            assertThat(Verifier.compare(notRequired, result, null).identical()).isFalse();
            assertThat(result.summary().warnings()).anyMatch(w -> w.contains(CLUSTERS + " commands are unsigned"));
        }
    }
}
