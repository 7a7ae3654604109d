package io.coxswain.orchestrator.operations.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.MirrorReplicationPolicy;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.fold.Phases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.mirror.DefaultTopicFilter;
import org.apache.kafka.connect.mirror.MirrorCheckpointConnector;
import org.apache.kafka.connect.mirror.MirrorHeartbeatConnector;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.junit.jupiter.api.Test;

/**
 * The connectors a mirror runs as, from the states alone: MirrorMaker 2's source connector (and its checkpoint connector
 * for groups) between the two clusters over TLS, its certificates named through the directory provider and never by
 * value, the offset syncs on the target; a source this executor does not know, or one requiring a certificate the
 * mirror has no user for, runs nothing and says why.
 */
class MirrorConnectorsTest {

    private ClusterState target = fold(TestStates.created("dr", 1, 2), Commands.on("dr").issuer("a").setComponent("connect", 2, null, null, Map.of()));
    private ClusterState source = TestStates.created("payments", 1, 3);
    private final ClusterNames names = ClusterNames.of("dr", "{cluster}");

    @Test
    void aMirrorRunsAsMirrorMakersSourceConnectorBetweenTheTwoClustersOverTls() {
        target = fold(target, Commands.on("dr").issuer("a").commandId("m-1").setMirror(SetMirror.newBuilder().setName("from-pay")
                .setSourceCluster("payments").setTopics(List.of("orders.*")).setExcludeTopics(List.of("orders\\.tmp")).build()));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr-kafka-bootstrap.dr.svc:9092", known(), true);

        assertThat(m.notRunnable()).isEmpty();
        assertThat(m.connectors()).containsOnlyKeys("from-pay-source", "from-pay-heartbeat");
        ConnectorSpec c = m.connectors().get("from-pay-source");
        assertThat(c.getConnectorClass()).isEqualTo(MirrorConnectors.SOURCE_CLASS);
        assertThat(c.getTasksMax()).as("one per connect worker").isEqualTo(2);
        assertThat(c.getState()).isEqualTo("RUNNING");
        assertThat(c.getConfig()).containsEntry("source.cluster.alias", "payments").containsEntry("target.cluster.alias", "dr")
                .containsEntry("source.cluster.bootstrap.servers", "payments-kafka-bootstrap.payments.svc:9092")
                .containsEntry("target.cluster.bootstrap.servers", "dr-kafka-bootstrap.dr.svc:9092")
                .containsEntry("topics", "orders.*")
                .containsEntry("topics.exclude", "mm2.*\\.internal,.*\\.replica,__.*,orders\\.tmp")
                .containsEntry("replication.policy.class", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy")
                .containsEntry("offset-syncs.topic.location", "target")
                .containsEntry("replication.factor", "2").containsEntry("offset-syncs.topic.replication.factor", "2")
                .containsEntry("sync.topic.acls.enabled", "false")
                .containsEntry("source.cluster.security.protocol", "SSL")
                .containsEntry("source.cluster.ssl.truststore.certificates", "${directory:/mnt/secrets/dr-mirrors:from-pay.source-ca.crt}")
                .containsEntry("target.cluster.ssl.truststore.certificates", "${directory:/mnt/secrets/dr-mirrors:target-ca.crt}")
                .doesNotContainKey("source.cluster.ssl.endpoint.identification.algorithm")
                .doesNotContainKey("source.cluster.ssl.keystore.key");
        assertThat(m.causes()).containsEntry("from-pay-source", "m-1");
        assertThat(m.secretKeys().get("from-pay")).containsEntry("from-pay.source-ca.crt",
                new MirrorSecret.From("payments", "payments-cluster-ca-cert", "ca.crt"))
                .containsEntry("target-ca.crt", new MirrorSecret.From("dr", "dr-cluster-ca-cert", "ca.crt"));

        assertThat(errors(new MirrorSourceConnector(), c.getConfig())).as("MirrorMaker 2 itself takes the configuration").isEmpty();

        ClusterState merged = m.merged(target);
        assertThat(merged.getConnectors()).containsOnlyKeys("from-pay-source", "from-pay-heartbeat");
        assertThat(target.getConnectors()).as("the state itself is left as it was").isEmpty();
    }

    @Test
    void groupsAddTheCheckpointConnectorAndIdentityKeepsTheNamesAndTheStateIsEveryConnectors() {
        target = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("mig").setSourceCluster("payments")
                .setGroups(List.of("billing", "audit-.*")).setSyncGroupOffsets(true).setReplicationPolicy(MirrorReplicationPolicy.IDENTITY)
                .setState(ConnectorState.PAUSED).build()));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), false);

        assertThat(m.connectors()).containsOnlyKeys("mig-source", "mig-checkpoint", "mig-heartbeat");
        ConnectorSpec checkpoint = m.connectors().get("mig-checkpoint");
        assertThat(checkpoint.getConnectorClass()).isEqualTo(MirrorConnectors.CHECKPOINT_CLASS);
        assertThat(checkpoint.getConfig()).containsEntry("groups", "billing,audit-.*").containsEntry("sync.group.offsets.enabled", "true")
                .containsEntry("checkpoints.topic.replication.factor", "2")
                .containsEntry("replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy")
                .containsEntry("source.cluster.ssl.endpoint.identification.algorithm", "");
        assertThat(m.connectors().values()).extracting(ConnectorSpec::getState).containsOnly("PAUSED");
        assertThat(errors(new MirrorCheckpointConnector(), checkpoint.getConfig())).isEmpty();
        assertThat(errors(new MirrorSourceConnector(), m.connectors().get("mig-source").getConfig())).isEmpty();
        assertThat(m.connectors().get("mig-heartbeat").getConfig()).as("the same policy: heartbeats are prefixed under either")
                .containsEntry("replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy")
                .containsEntry("producer.override.ssl.endpoint.identification.algorithm", "");
        assertThat(errors(new MirrorHeartbeatConnector(), m.connectors().get("mig-heartbeat").getConfig())).isEmpty();
    }

    /**
     * Into a target that requires client certificates the mirror's own clients there present the connect component's user's
     * certificate, copied into the mirror Secret and named through the directory provider as a source user's is; and the
     * groups' offsets are translated and committed every 10 s, not MirrorMaker's 60 s.
     */
    @Test
    void intoATargetRequiringCertificatesTheMirrorPresentsTheConnectUsersCertificateThroughTheMirrorSecret() {
        target = TestStates.created("dr", TestStates.create(1, 2).setClientAuthentication(io.coxswain.avro.command.ClientAuthentication.TLS).build());
        target = fold(target, Commands.on("dr").issuer("a").createUser("connect", List.of()));
        target = fold(target, Commands.on("dr").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        target = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("fo").setSourceCluster("payments")
                .setGroups(List.of("billing")).setSyncGroupOffsets(true).build()));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), true);

        assertThat(m.connectors()).containsOnlyKeys("fo-source", "fo-checkpoint", "fo-heartbeat");
        for (ConnectorSpec c : List.of(m.connectors().get("fo-source"), m.connectors().get("fo-checkpoint"))) {
            assertThat(c.getConfig()).containsEntry("target.cluster.ssl.keystore.type", "PEM")
                    .containsEntry("target.cluster.ssl.keystore.certificate.chain", "${directory:/mnt/secrets/dr-mirrors:target-user.crt}")
                    .containsEntry("target.cluster.ssl.keystore.key", "${directory:/mnt/secrets/dr-mirrors:target-user.key}")
                    .doesNotContainKey("target.cluster.ssl.keystore.location");
        }
        assertThat(m.secretKeys().get("fo")).containsEntry("target-user.crt", new MirrorSecret.From("dr", "dr-user-connect", "user.crt"))
                .containsEntry("target-user.key", new MirrorSecret.From("dr", "dr-user-connect", "user.key"));
        Map<String, String> checkpoint = m.connectors().get("fo-checkpoint").getConfig();
        assertThat(checkpoint).containsEntry("emit.checkpoints.interval.seconds", "10").containsEntry("sync.group.offsets.interval.seconds", "10")
                .as("groups listed again every minute, not MirrorMaker's ten").containsEntry("refresh.groups.interval.seconds", "60");
        assertThat(m.connectors().get("fo-source").getConfig())
                .as("topics listed again every minute, not MirrorMaker's ten: a topic made later, the heartbeats topic among them")
                .containsEntry("refresh.topics.interval.seconds", "60");
        assertThat(errors(new MirrorCheckpointConnector(), checkpoint)).isEmpty();
        assertThat(errors(new MirrorSourceConnector(), m.connectors().get("fo-source").getConfig())).isEmpty();

        ClusterState open = fold(TestStates.created("dr", 1, 2), Commands.on("dr").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        open = fold(open, Commands.on("dr").issuer("a").setMirror("fo", "payments", List.of(".*")));
        MirrorConnectors unnamed = MirrorConnectors.of(open, names, "dr:9092", known(), true);
        assertThat(unnamed.connectors().get("fo-source").getConfig()).as("a target naming no client: no certificate")
                .doesNotContainKey("target.cluster.ssl.keystore.key");
        assertThat(unnamed.secretKeys().get("fo")).doesNotContainKeys("target-user.crt", "target-user.key");
    }

    /**
     * Every mirror runs MirrorMaker's heartbeat connector, writing into the <b>source</b>'s heartbeats topic (which the source
     * connector copies to {@code payments.heartbeats} on the target): its admin client and the Connect producer it is given
     * both reach the source as the sourceUser, the producer through the mirror Secret's files by path (the workers' producer
     * names its own stores by file), the topic made of the source's size, a heartbeat a second.
     */
    @Test
    void theHeartbeatConnectorWritesIntoTheSourcesHeartbeatsTopicAsTheSourceUser() {
        source = TestStates.created("payments", TestStates.create(1, 3).setClientAuthentication(io.coxswain.avro.command.ClientAuthentication.TLS).build());
        source = fold(source, Commands.on("payments").issuer("a").createUser("mirror-dr", List.of()));
        target = fold(target, Commands.on("dr").issuer("a").commandId("m-1").setMirror(SetMirror.newBuilder().setName("dr").setSourceCluster("payments")
                .setSourceUser("mirror-dr").setState(ConnectorState.STOPPED).build()));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), true);

        ConnectorSpec heartbeat = m.connectors().get("dr-heartbeat");
        assertThat(heartbeat.getConnectorClass()).isEqualTo(MirrorConnectors.HEARTBEAT_CLASS).isEqualTo(MirrorHeartbeatConnector.class.getName());
        assertThat(heartbeat.getTasksMax()).isEqualTo(1);
        assertThat(heartbeat.getState()).as("as the mirror asks").isEqualTo("STOPPED");
        assertThat(m.causes()).containsEntry("dr-heartbeat", "m-1");
        String bootstrap = "payments-kafka-bootstrap.payments.svc:9092";
        assertThat(heartbeat.getConfig()).as("MirrorMaker's heartbeats for a flow payments -> dr name the pair back")
                .containsEntry("source.cluster.alias", "dr").containsEntry("target.cluster.alias", "payments")
                .containsEntry("target.cluster.bootstrap.servers", bootstrap)
                .containsEntry("target.cluster.ssl.truststore.certificates", "${directory:/mnt/secrets/dr-mirrors:dr.source-ca.crt}")
                .containsEntry("target.cluster.ssl.keystore.key", "${directory:/mnt/secrets/dr-mirrors:dr.source-user.key}")
                .containsEntry("producer.override.bootstrap.servers", bootstrap)
                .containsEntry("producer.override.security.protocol", "SSL")
                .containsEntry("producer.override.ssl.truststore.type", "PEM")
                .containsEntry("producer.override.ssl.truststore.location", "/mnt/secrets/dr-mirrors/dr.source-ca.crt")
                .containsEntry("producer.override.ssl.keystore.type", "PEM")
                .containsEntry("producer.override.ssl.keystore.location", "/mnt/secrets/dr-mirrors/dr.source-user.pem")
                .containsEntry("emit.heartbeats.interval.seconds", "1")
                .as("made on the source, of its size (3 brokers; the target has 2)").containsEntry("heartbeats.topic.replication.factor", "3")
                .containsEntry("value.converter", MirrorConnectors.BYTES)
                .doesNotContainKeys("source.cluster.bootstrap.servers", "producer.override.ssl.endpoint.identification.algorithm");
        assertThat(m.secretKeys().get("dr")).containsEntry("dr.source-user.pem", new MirrorSecret.From("payments", "payments-user-mirror-dr", "user.pem"));
        assertThat(MirrorSecret.keysOf("dr")).as("kept as the mirror's other files are").contains("dr.source-user.pem");
        assertThat(errors(new MirrorHeartbeatConnector(), heartbeat.getConfig())).as("MirrorMaker 2 itself takes the configuration").isEmpty();

        ClusterState open = fold(TestStates.created("dr", 1, 2), Commands.on("dr").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        open = fold(open, Commands.on("dr").issuer("a").setMirror("dr", "north", List.of(".*")));
        ClusterState north = TestStates.created("north", 1, 1);
        MirrorConnectors anonymous = MirrorConnectors.of(open, names, "dr:9092", id -> Optional.of(new MirrorConnectors.Source(north,
                ClusterNames.of(id, "{cluster}"), "north:9092")), true);
        assertThat(anonymous.connectors().get("dr-heartbeat").getConfig()).as("a source that names no client: no certificate")
                .containsEntry("producer.override.bootstrap.servers", "north:9092").containsEntry("heartbeats.topic.replication.factor", "1")
                .doesNotContainKeys("producer.override.ssl.keystore.location", "target.cluster.ssl.keystore.key");
        assertThat(anonymous.secretKeys().get("dr")).doesNotContainKey("dr.source-user.pem");
    }

    /** MirrorMaker's own exclusions are the ones it defaults to, so a mirror's own add to them and skip nothing else. */
    @Test
    void theExclusionsKeptAreMirrorMakersOwnAndARepeatedOneIsNamedOnce() {
        assertThat(MirrorConnectors.ALWAYS_EXCLUDED).containsExactly(DefaultTopicFilter.TOPICS_EXCLUDE_DEFAULT.split(",\\s*"));
        target = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("payments")
                .setExcludeTopics(List.of("__.*", "tmp")).build()));
        Map<String, String> config = MirrorConnectors.of(target, names, "dr:9092", known(), true).connectors().get("m-source").getConfig();
        assertThat(config).containsEntry("topics.exclude", "mm2.*\\.internal,.*\\.replica,__.*,tmp");
        assertThat(errors(new MirrorSourceConnector(), config)).isEmpty();
        Map<String, String> twice = new java.util.HashMap<>(config);
        twice.put("topics.exclude", config.get("topics.exclude") + ",__.*");
        assertThat(errors(new MirrorSourceConnector(), twice)).as("what MirrorMaker does with an expression named twice")
                .singleElement().asString().startsWith("topics.exclude: ");
    }

    /** What MirrorMaker 2's connector says of {@code config}, as Connect asks it before creating it: each error of each key. */
    private static List<String> errors(Connector connector, Map<String, String> config) {
        Map<String, String> all = new java.util.HashMap<>(config);
        all.put("name", "validated");
        all.put("connector.class", connector.getClass().getName());
        return connector.validate(all).configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .map(v -> v.name() + ": " + v.errorMessages()).toList();
    }

    @Test
    void aSourceThatNeedsACertificateGetsTheUsersAndOneWithoutAUserOrUnknownRunsNothing() {
        source = TestStates.created("payments", TestStates.create(1, 3).setClientAuthentication(io.coxswain.avro.command.ClientAuthentication.TLS).build());
        target = fold(target, Commands.on("dr").issuer("a").setMirror("anon", "payments", List.of(".*")));
        target = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("nobody").setSourceCluster("payments")
                .setSourceUser("mirror-dr").build()));
        target = fold(target, Commands.on("dr").issuer("a").setMirror("lost", "elsewhere", List.of(".*")));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), true);
        assertThat(m.connectors()).isEmpty();
        assertThat(m.notRunnable().get("anon")).contains("requires client certificates", "sourceUser", "CreateUser", "READ and DESCRIBE");
        assertThat(m.notRunnable().get("nobody")).contains("sourceUser 'mirror-dr' does not exist on source cluster 'payments'");
        assertThat(m.notRunnable().get("lost")).contains("'elsewhere' is not known", "DeleteMirror lost");
        assertThat(m.leftAlone()).as("a source not known here, maybe not yet: its connectors left as they are")
                .containsExactlyInAnyOrder("lost-source", "lost-checkpoint", "lost-heartbeat");
        assertThat(m.keptKeys()).as("and what was copied for it").containsExactly("lost");
        assertThat(m.stopped()).as("a known source the mirror cannot run from: stopped, not deleted")
                .containsExactlyInAnyOrder("anon-source", "anon-checkpoint", "anon-heartbeat", "nobody-source", "nobody-checkpoint",
                        "nobody-heartbeat");

        source = fold(source, Commands.on("payments").issuer("a").createUser("mirror-dr", List.of()));
        m = MirrorConnectors.of(target, names, "dr:9092", known(), true);
        assertThat(m.connectors()).containsOnlyKeys("nobody-source", "nobody-heartbeat");
        assertThat(m.connectors().get("nobody-source").getConfig())
                .containsEntry("source.cluster.ssl.keystore.key", "${directory:/mnt/secrets/dr-mirrors:nobody.source-user.key}")
                .containsEntry("source.cluster.ssl.keystore.certificate.chain", "${directory:/mnt/secrets/dr-mirrors:nobody.source-user.crt}");
        assertThat(m.secretKeys().get("nobody")).containsEntry("nobody.source-user.key",
                new MirrorSecret.From("payments", "payments-user-mirror-dr", "user.key"));

        MirrorConnectors waiting = m.without(Map.of("nobody", "Secret payments/payments-user-mirror-dr has no user.key yet"));
        assertThat(waiting.connectors()).isEmpty();
        assertThat(waiting.notRunnable()).containsEntry("nobody", "Secret payments/payments-user-mirror-dr has no user.key yet");
    }

    @Test
    void aMirrorWhoseSourceIsBeingDeletedHasItsConnectorsStoppedAndStillManaged() {
        target = fold(target, Commands.on("dr").issuer("a").commandId("m-1").setMirror("dr", "payments", List.of(".*")));
        source = fold(source, Commands.on("payments").issuer("a").deleteCluster(false));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), true);
        assertThat(m.connectors()).isEmpty();
        assertThat(m.stopped()).contains("dr-source");
        assertThat(m.causes()).as("recorded for its SetMirror").containsEntry("dr-source", "m-1");
        assertThat(m.notRunnable().get("dr")).contains("being deleted", "DeleteMirror dr", "stopped");
        ClusterState merged = m.merged(target);
        LiveConnector running = new LiveConnector("dr-source", Map.of("name", "dr-source"), "RUNNING", 2, 0, null);
        ConnectorPlan plan = ConnectorPlan.of(merged, Map.of("dr-source", running), Map.of(), Set.of(), m.leftAlone(), m.stopped());
        assertThat(plan.unmanaged()).as("never unmanaged").isEmpty();
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(ConnectorAction.Kind.STOP);
            assertThat(a.reason()).startsWith("SetMirror:").contains("dr-source", "cannot run");
        });
        assertThat(ConnectorPlan.of(merged, Map.of("dr-source", new LiveConnector("dr-source", Map.of(), "STOPPED", 0, 0, null)), Map.of(),
                Set.of(), m.leftAlone(), m.stopped()).actions()).as("stopped: nothing more, not deleted").isEmpty();
    }

    @Test
    void aMirrorWhoseSourceWasDeletedSaysSoAndHasItsConnectorsStopped() {
        target = fold(target, Commands.on("dr").issuer("a").commandId("m-1").setMirror("dr", "payments", List.of(".*")));
        source = fold(source, Commands.on("payments").issuer("a").deleteCluster(false));
        source = ClusterState.newBuilder(source).setStatus(ClusterStatus.newBuilder(source.getStatus()).setPhase(Phases.DELETED).build()).build();
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", known(), true);
        assertThat(m.connectors()).isEmpty();
        assertThat(m.stopped()).contains("dr-source");
        assertThat(m.leftAlone()).as("not waiting: stopped").isEmpty();
        assertThat(m.notRunnable().get("dr")).isEqualTo("source cluster 'payments' was deleted (version " + source.getVersion() + "): send"
                + " DeleteMirror dr, or SetMirror it to another source (its connectors are stopped meanwhile)");
        LiveConnector running = new LiveConnector("dr-source", Map.of("name", "dr-source"), "RUNNING", 2, 0, null);
        assertThat(ConnectorPlan.of(m.merged(target), Map.of("dr-source", running), Map.of(), Set.of(), m.leftAlone(), m.stopped()).actions())
                .singleElement().extracting(ConnectorAction::kind).isEqualTo(ConnectorAction.Kind.STOP);
    }

    /**
     * A mirror back from its own target where either uses IDENTITY: the one whose connectors Connect already has keeps
     * running, the later one is refused and stopped; when neither (or both) ran first, both are refused, never in turns.
     */
    @Test
    void twoMirrorsInOppositeDirectionsWithIdentityRefuseTheOneThatDidNotRunFirst() {
        source = fold(fold(source, Commands.on("payments").issuer("a").setComponent("connect", 1, null, null, Map.of())),
                Commands.on("payments").issuer("a").setMirror(SetMirror.newBuilder().setName("fwd").setSourceCluster("dr").build()));
        target = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("back").setSourceCluster("payments")
                .setReplicationPolicy(MirrorReplicationPolicy.IDENTITY).build()));

        ClusterState paymentsRunningFwd = onConnect(source, "fwd-source");
        MirrorConnectors later = MirrorConnectors.of(target, names, "dr:9092", known(paymentsRunningFwd), true);
        assertThat(later.connectors()).isEmpty();
        assertThat(later.stopped()).contains("back-source");
        assertThat(later.notRunnable().get("back")).contains("mirror back (payments → dr, IDENTITY)", "mirror fwd of cluster 'payments'",
                "back and forth", "fwd ran first and keeps running", "replicationPolicy PREFIXED for both", "DeleteMirror one", "stopped");
        MirrorConnectors first = MirrorConnectors.of(paymentsRunningFwd, ClusterNames.of("payments", "{cluster}"), "payments:9092",
                id -> id.equals("dr") ? Optional.of(new MirrorConnectors.Source(target, names, "dr:9092")) : Optional.empty(), true);
        assertThat(first.notRunnable()).as("the one that ran first").isEmpty();
        assertThat(first.connectors()).containsOnlyKeys("fwd-source", "fwd-heartbeat");

        MirrorConnectors neither = MirrorConnectors.of(target, names, "dr:9092", known(source), true);
        assertThat(neither.notRunnable().get("back")).contains("cannot be told", "both are refused");
        MirrorConnectors both = MirrorConnectors.of(onConnect(target, "back-source"), names, "dr:9092", known(paymentsRunningFwd), true);
        assertThat(both.notRunnable().get("back")).as("both made: both stay stopped").contains("both are refused");
        assertThat(both.stopped()).contains("back-source");

        ClusterState prefixed = fold(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("back")
                .setSourceCluster("payments").build()));
        assertThat(MirrorConnectors.of(prefixed, names, "dr:9092", known(paymentsRunningFwd), true).connectors())
                .as("PREFIXED both ways: each copy is told by its prefix").containsOnlyKeys("back-source", "back-heartbeat");
    }

    /** The cluster with Connect reporting these connectors of it. */
    private static ClusterState onConnect(ClusterState s, String... connectors) {
        Map<String, ConnectorStatus> observed = new java.util.TreeMap<>();
        for (String c : connectors) {
            observed.put(c, ConnectorStatus.newBuilder().setState("RUNNING").setTasks(1).setSince(java.time.Instant.EPOCH).build());
        }
        return ClusterState.newBuilder(s).setStatus(ClusterStatus.newBuilder(s.getStatus()).setConnectors(observed).build()).build();
    }

    @Test
    void aMirrorWhoseSourceIsNotKnownYetLeavesItsConnectorsAloneAndManaged() {
        target = fold(target, Commands.on("dr").issuer("a").setMirror("dr", "payments", List.of(".*")));
        MirrorConnectors m = MirrorConnectors.of(target, names, "dr:9092", id -> Optional.empty(), true);
        LiveConnector running = new LiveConnector("dr-source", Map.of("name", "dr-source"), "RUNNING", 2, 0, null);
        ConnectorPlan plan = ConnectorPlan.of(m.merged(target), Map.of("dr-source", running), Map.of(), Set.of(), m.leftAlone(), m.stopped());
        assertThat(plan.actions()).as("not stopped, not deleted: the source may be read in a moment").isEmpty();
        assertThat(plan.unmanaged()).isEmpty();
    }

    private Function<String, Optional<MirrorConnectors.Source>> known() {
        return known(source);
    }

    private static Function<String, Optional<MirrorConnectors.Source>> known(ClusterState s) {
        return id -> id.equals("payments") ? Optional.of(new MirrorConnectors.Source(s, ClusterNames.of(id, "{cluster}"),
                ClusterNames.of(id, "{cluster}").bootstrapServers())) : Optional.empty();
    }

    private static ClusterState fold(ClusterState state, Command c) {
        return Evolve.apply(state, c);
    }
}
