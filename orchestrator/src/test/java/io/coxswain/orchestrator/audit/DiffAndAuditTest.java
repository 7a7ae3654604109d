package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Diff between versions and the audit query, on a small scripted log: an upgrade with the executor's
 * operation, steps and pod restart that name it as their cause, a rejection, a duplicate, a poison record.
 * Replay needs no node, so the log is produced straight to the command topic.
 */
class DiffAndAuditTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static Topics topics;
    private static AuditService audit;
    private static Command upgrade;
    private static Command scale;
    private static Command createTopic;
    private static Command reset;

    @BeforeAll
    static void writeLog() {
        String bootstrap = SharedKafka.bootstrapServers();
        topics = AuditFixture.newTopics();
        AuditFixture.createTopicsAndSchemas(bootstrap, topics, 2);
        List<AuditFixture.Raw> log = new ArrayList<>();
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
             KafkaProducer<byte[], byte[]> producer = AuditFixture.producer(bootstrap)) {
            Codecs codecs = Codecs.of(registry, topics);
            add(log, codecs, on("alpha", "alice", 1).createCluster("4.0.0", 3, 3, "10Gi"));
            createTopic = on("alpha", "bob", 2).createTopic("orders", 3, 2, Map.of());
            add(log, codecs, createTopic);
            upgrade = on("alpha", "alice", 3).upgradeKafka("4.1.0");
            add(log, codecs, upgrade);
            String op = "op-1";
            add(log, codecs, on("alpha", "executor", 4).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.RUNNING, upgrade.getCommandId(), null)));
            add(log, codecs, on("alpha", "executor", 5).observation("exec-1", new OperationStepObserved(op, "restart-broker-2", StepState.STARTED, 2, null, 0, 3)));
            add(log, codecs, on("alpha", "executor", 6).observation("exec-1", new ResourceActionObserved(ResourceAction.RESTART, "Pod", "kafka",
                    "alpha-broker-2", "roll to Kafka 4.1.0", upgrade.getCommandId(), null)));
            add(log, codecs, on("alpha", "executor", 7).observation("exec-1", new OperationStepObserved(op, "restart-broker-2", StepState.FINISHED, 2, null, 1, 3)));
            add(log, codecs, on("alpha", "executor", 8).observation("exec-1", new OperationObserved(op, "RollingUpgrade", OperationState.SUCCEEDED, upgrade.getCommandId(), null)));
            scale = on("alpha", "bob", 9).scaleBrokers(5);
            add(log, codecs, scale);
            add(log, codecs, on("alpha", "bob", 10).scaleBrokers(5)); // rejected: no change
            log.add(new AuditFixture.Raw(log.get(8).key(), log.get(8).value(), null, T0.plusSeconds(11).toEpochMilli())); // duplicate id
            log.add(new AuditFixture.Raw(AuditFixture.Raw.key("alpha"), new byte[] {0, 0, 0}, null, T0.plusSeconds(12).toEpochMilli()));
            add(log, codecs, on("beta", "carol", 13).createCluster("4.1.0", 1, 1, "1Gi"));
            add(log, codecs, on("beta", "carol", 14).updateBrokerConfig(Map.of("num.io.threads", "8"), List.of()));
            reset = on("beta", "dave", 15).resetConsumerGroupOffsets("billing", List.of(), OffsetResetTarget.EARLIEST, null, null, "replay");
            add(log, codecs, reset);
            Map<String, List<PartitionOffsetReset>> plan = Map.of("orders", List.of(new PartitionOffsetReset(0, 42L, 0L)));
            add(log, codecs, on("beta", "executor", 16).observation("exec-1", new OffsetResetObserved(reset.getCommandId(), "billing",
                    OffsetResetState.PLANNED, plan, null)));
            add(log, codecs, on("beta", "executor", 17).observation("exec-1", new OffsetResetObserved(reset.getCommandId(), "billing",
                    OffsetResetState.DONE, plan, null)));
            AuditFixture.send(producer, topics.commands(), log);
        }
        audit = new AuditService(LogLocation.of(bootstrap, topics), 2);
    }

    @AfterAll
    static void close() {
        audit.close();
    }

    private static CommandBuilder on(String cluster, String issuer, int second) {
        return Commands.on(cluster).issuer(issuer).issuedAt(T0.plusSeconds(second));
    }

    private static void add(List<AuditFixture.Raw> log, Codecs codecs, Command c) {
        log.add(new AuditFixture.Raw(AuditFixture.Raw.key(c.getClusterId()), codecs.commands().encode(c), null, c.getIssuedAt().toEpochMilli()));
    }

    @Test
    void diffNamesTheChangedFieldsAndTheCommandsThatChangedThem() {
        VersionDiff d = audit.diff("alpha", 2, 3).toCompletableFuture().join();
        assertThat(d.causes()).singleElement().satisfies(c -> {
            assertThat(c.commandId()).isEqualTo(upgrade.getCommandId());
            assertThat(c.type()).isEqualTo("UpgradeKafka");
            assertThat(c.changedPaths()).contains("spec.kafkaVersion");
        });
        VersionDiff.Change version = change(d, "spec.kafkaVersion");
        assertThat(version.field().before().asText()).isEqualTo("4.0.0");
        assertThat(version.field().after().asText()).isEqualTo("4.1.0");
        assertThat(version.causedBy()).containsExactly(upgrade.getCommandId());

        VersionDiff wide = audit.diff("alpha", 1, 9).toCompletableFuture().join();
        assertThat(wide.causes()).hasSize(8);
        assertThat(change(wide, "spec.brokers").causedBy()).containsExactly(scale.getCommandId());
        assertThat(change(wide, "topics[\"orders\"]").causedBy()).containsExactly(createTopic.getCommandId());
        assertThat(change(wide, "spec.brokers").field().after().asInt()).isEqualTo(5);
        assertThat(wide.toJson().get("changes").size()).isEqualTo(wide.changes().size());

        VersionDiff fromNothing = audit.diff("alpha", 0, 1).toCompletableFuture().join();
        assertThat(fromNothing.from()).isNull();
        assertThat(fromNothing.changes()).extracting(c -> c.field().path()).contains("spec", "status", "clusterId");
    }

    @Test
    void diffRefusesVersionsThatDoNotExist() {
        assertThatThrownBy(() -> audit.diff("alpha", 1, 99).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(NoSuchElementException.class).hasMessageContaining("latest version is 9");
        assertThatThrownBy(() -> audit.diff("alpha", 3, 2).toCompletableFuture().join())
                .cause().isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void auditJoinsACommandWithItsDecisionAndTheExecutorActionsItCaused() {
        AuditResult r = audit.audit(AuditQuery.all().type("UpgradeKafka")).toCompletableFuture().join();
        assertThat(r.entries()).singleElement().satisfies(e -> {
            assertThat(e.command().getCommandId()).isEqualTo(upgrade.getCommandId());
            assertThat(((CommandAccepted) e.decision().getOutcome()).getVersion()).isEqualTo(3);
            assertThat(e.actions()).extracting(AuditEntry.Action::type).containsExactly("OperationObserved", "OperationStepObserved",
                    "ResourceActionObserved", "OperationStepObserved", "OperationObserved");
            assertThat(e.actions().get(2).observation().get("name").asText()).isEqualTo("alpha-broker-2");
        });
        JsonNode json = r.toJson().get("entries").get(0);
        assertThat(json.get("actions").size()).isEqualTo(5);
        assertThat(json.get("command").get("payload").get("type").asText()).isEqualTo("UpgradeKafka");
        assertThat(json.get("decision").get("outcome").get("version").asLong()).isEqualTo(3);
    }

    @Test
    void anOffsetResetShowsWithItsPlanAndOutcome() {
        AuditResult r = audit.audit(AuditQuery.all().type("ResetConsumerGroupOffsets")).toCompletableFuture().join();
        assertThat(r.entries()).singleElement().satisfies(e -> {
            assertThat(e.command().getCommandId()).isEqualTo(reset.getCommandId());
            assertThat(e.actions()).extracting(AuditEntry.Action::type).containsExactly("OffsetResetObserved", "OffsetResetObserved");
            JsonNode partition = e.actions().get(0).observation().get("partitions").get("orders").get(0);
            assertThat(partition.get("from").asLong()).as("where the group was, for the auditor").isEqualTo(42);
            assertThat(partition.get("to").asLong()).isZero();
            assertThat(e.actions().get(1).observation().get("state").asText()).isEqualTo("DONE");
        });
    }

    @Test
    void auditFiltersByIssuerTypeClusterAndTime() {
        AuditResult bob = audit.audit(AuditQuery.all().issuer("bob")).toCompletableFuture().join();
        assertThat(bob.entries()).extracting(AuditEntry::type).containsExactly("CreateTopic", "ScaleBrokers", "ScaleBrokers", "ScaleBrokers");
        assertThat(bob.entries().get(2).decision().getOutcome()).isInstanceOfSatisfying(CommandRejected.class,
                rej -> assertThat(rej.getCode()).isEqualTo(RejectionCode.NO_CHANGE));
        assertThat(bob.entries().get(3).decision().getDuplicate()).isTrue();

        AuditResult alpha = audit.audit(AuditQuery.all().cluster("alpha")).toCompletableFuture().join();
        assertThat(alpha.entries()).hasSize(12);
        assertThat(alpha.entries().get(11).deadLetterReason()).contains("truncated");
        assertThat(audit.audit(AuditQuery.all().type("Undecodable")).toCompletableFuture().join().entries()).hasSize(1);
        assertThat(audit.audit(AuditQuery.all().type("ResourceActionObserved")).toCompletableFuture().join().entries()).hasSize(1);
        assertThat(audit.audit(AuditQuery.all().cluster("beta").issuer("carol")).toCompletableFuture().join().entries()).hasSize(2);

        AuditResult window = audit.audit(AuditQuery.all().between(T0.plusSeconds(3), T0.plusSeconds(5))).toCompletableFuture().join();
        assertThat(window.entries()).extracting(e -> e.loggedAt().getEpochSecond() - T0.getEpochSecond()).containsExactly(3L, 4L, 5L);

        AuditResult limited = audit.audit(AuditQuery.all().cluster("alpha").limit(2)).toCompletableFuture().join();
        assertThat(limited.entries()).hasSize(2);
        assertThat(limited.truncated()).isTrue();
        assertThat(limited.matched()).isEqualTo(12);
        assertThat(alpha.toJsonLines().split("\n")).hasSize(12).allSatisfy(line -> assertThat(line).startsWith("{").contains("\"actions\""));
    }

    private static VersionDiff.Change change(VersionDiff d, String path) {
        return d.changes().stream().filter(c -> c.field().path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no change at " + path + " in " + d.changes()));
    }
}
