package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.MirrorSpec;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.commands.shape.MirrorShape;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ComponentPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.fold.Phases;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The connectors a cluster's mirrors ({@code spec.mirrors}) run as on its Connect cluster, pure: {@code <name>-source}
 * (MirrorSourceConnector), {@code <name>-heartbeat} (MirrorHeartbeatConnector, {@link MirrorHeartbeats}) and, for a mirror
 * with groups, {@code <name>-checkpoint} (MirrorCheckpointConnector). They are
 * merged into the connectors {@link ConnectorPlan} drives ({@link #merged}), so a mirror is created, changed, paused,
 * stopped and deleted by the one machinery that does it for connectors. A mirror whose source this executor does not
 * know, or whose credentials it cannot give, or that would copy records back and forth with a mirror of its source
 * ({@link MirrorLoops}), runs nothing and is reported with why ({@link #notRunnable}).
 *
 * <p>Every managed cluster speaks TLS only, so a mirror trusts the source's CA and, where the source requires client
 * certificates, presents {@code sourceUser}'s: the executor copies them into the target's {@link MirrorSecret} ({@link
 * #secretKeys}), mounted on its connect pods, and the configuration names them through the workers' {@code directory}
 * provider, never by value. The offset syncs are kept on the target ({@code offset-syncs.topic.location=target}), so the
 * mirror writes nothing to the source but its heartbeats (into its {@code heartbeats} topic, which the mirror copies back:
 * the one way to see the whole path flow) and needs only read rights there besides; it syncs no ACLs (Coxswain's are per
 * cluster).
 *
 * @param connectors  by connector name, as {@code connectors} holds a SetConnector's
 * @param causes      by connector name, the SetMirror its actions are recorded for
 * @param notRunnable by mirror name, why it runs nothing and what to do
 * @param secretKeys  by mirror, what the target's mirror Secret holds for it: key there → the key of a Secret of a managed
 *                    cluster to copy
 * @param leftAlone   connector names of mirrors that wait: left as Connect has them (none created, changed or deleted), and
 *                    never listed as unmanaged
 * @param stopped     connector names of mirrors that cannot run from a source this executor knows (deleted or being
 *                    deleted, a user missing, a loop with a mirror back): stopped where Connect has them, never deleted
 *                    (DeleteMirror retires them), never unmanaged
 * @param keptKeys    mirrors whose source this executor does not know (yet): what the mirror Secret holds for them is kept
 *                    as last copied, as their connectors are left alone
 */
public record MirrorConnectors(Map<String, ConnectorSpec> connectors, Map<String, String> causes, Map<String, String> notRunnable,
                               Map<String, Map<String, MirrorSecret.From>> secretKeys, Set<String> leftAlone, Set<String> stopped,
                               Set<String> keptKeys) {

    public static final String SOURCE_CLASS = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
    public static final String CHECKPOINT_CLASS = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
    public static final String HEARTBEAT_CLASS = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";
    static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    /**
     * MirrorMaker's own default exclusions (DefaultTopicFilter's, Kafka 4.x), kept under a mirror's own: its internal topics
     * and Kafka's. Not the pre-3.0 {@code .*[-.]internal}, which would silently skip a user's topic named {@code billing-internal}.
     */
    static final List<String> ALWAYS_EXCLUDED = List.of("mm2.*\\.internal", ".*\\.replica", "__.*");
    /**
     * How often the groups' offsets are translated into checkpoints, and committed to the target's groups: MirrorMaker's 60 s
     * each would leave a group failing over up to two minutes of records behind its source (re-read), for a listing of the
     * groups' offsets on the source and the target every few seconds, which is cheap beside the records the mirror copies.
     */
    static final String GROUP_OFFSETS_EVERY_SECONDS = "10";
    /**
     * How often the checkpoint connector lists the source's groups again: MirrorMaker's 600 s would leave a group that first
     * commits after the mirror started without checkpoints for up to ten minutes, and a mirror none of whose groups has
     * committed yet with no checkpoint task at all (MirrorCheckpointConnector.taskConfigs gives none for no known group, and
     * Connect then reports it RUNNING with 0 tasks) for as long. One listing of the
     * source's groups and their offsets a minute is cheap.
     */
    static final String REFRESH_GROUPS_EVERY_SECONDS = "60";
    /**
     * How often the source connector lists the source's topics again. MirrorMaker's 600 s would leave a topic created on the
     * source after the mirror started uncopied for up to ten minutes, and so the source's {@code heartbeats} topic, which
     * the mirror's heartbeat connector creates when it starts: Connect starts a mirror's connectors side by side, so the
     * source connector's first listing may come before it exists, and the mirror would show no heartbeats for as long.
     * One listing of the source's topics a minute is cheap.
     */
    static final String REFRESH_TOPICS_EVERY_SECONDS = "60";
    /** What the source must allow {@code sourceUser}, for the operator told that one is missing. */
    public static final String SOURCE_ACLS = "READ and DESCRIBE on the mirrored topics, DESCRIBE_CONFIGS on them (their configuration is"
            + " copied), DESCRIBE on the cluster, and CREATE, WRITE, READ, DESCRIBE and DESCRIBE_CONFIGS on topic heartbeats (the"
            + " mirror's heartbeats are written there and copied from there); with groups, DESCRIBE on those groups";

    /**
     * What the executor knows of a mirror's source cluster.
     *
     * @param bootstrap where the target's connect pods reach its brokers
     */
    public record Source(ClusterState state, ClusterNames names, String bootstrap) {
    }

    /**
     * @param targetBootstrap where the target's connect pods reach its own brokers, for the mirror's admin clients
     * @param sources         a cluster id → what this executor knows of it; empty: not known here
     * @param verifyHostnames false where clusters are reached at addresses their certificates cannot name (a sandbox)
     */
    public static MirrorConnectors of(ClusterState target, ClusterNames names, String targetBootstrap, Function<String, Optional<Source>> sources,
                                      boolean verifyHostnames) {
        Map<String, ConnectorSpec> connectors = new TreeMap<>();
        Map<String, String> causes = new TreeMap<>();
        Map<String, String> notRunnable = new TreeMap<>();
        Map<String, Map<String, MirrorSecret.From>> keys = new TreeMap<>();
        Set<String> leftAlone = new TreeSet<>();
        Set<String> stopped = new TreeSet<>();
        Set<String> keptKeys = new TreeSet<>();
        for (Map.Entry<String, MirrorSpec> e : target.getSpec().getMirrors().entrySet()) {
            String mirror = e.getKey();
            MirrorSpec m = e.getValue();
            Optional<Source> source = sources.apply(m.getSourceCluster());
            if (source.isEmpty()) {
                // not yet, perhaps: its partition of the state topic not read yet (the executor looks again once it is)
                notRunnable.put(mirror, "source cluster '" + m.getSourceCluster() + "' is not known to this executor (no cluster of"
                        + " that id, or not read yet after a restart): its connectors and copied certificates are"
                        + " left as they are; create the source, or send DeleteMirror " + mirror);
                leftAlone.addAll(MirrorShape.connectorNames(mirror));
                keptKeys.add(mirror);
                causes.put(MirrorShape.sourceConnector(mirror), m.getCommandId());
                continue;
            }
            Optional<String> why = unrunnable(target, mirror, m, source.get().state());
            if (why.isPresent()) {
                notRunnable.put(mirror, why.get() + " (its connectors are stopped meanwhile)");
                MirrorShape.connectorNames(mirror).forEach(n -> causes.put(n, m.getCommandId()));
                stopped.addAll(MirrorShape.connectorNames(mirror));
                continue;
            }
            Source s = source.get();
            Map<String, MirrorSecret.From> copied = new TreeMap<>();
            Map<String, String> config = new TreeMap<>(common(target, names, m, mirror, targetBootstrap, s, verifyHostnames, copied));
            String sourceName = MirrorShape.sourceConnector(mirror);
            Map<String, String> copy = new TreeMap<>(config);
            copy.put("topics", String.join(",", m.getTopics()));
            // MirrorMaker refuses a list that names an expression twice (its ValidList), and a mirror may repeat one of its own
            Set<String> excluded = new LinkedHashSet<>(ALWAYS_EXCLUDED);
            excluded.addAll(m.getExcludeTopics());
            copy.put("topics.exclude", String.join(",", excluded));
            copy.put("replication.factor", rf(target));
            copy.put("offset-syncs.topic.replication.factor", rf(target));
            copy.put("sync.topic.acls.enabled", "false");
            copy.put("refresh.topics.interval.seconds", REFRESH_TOPICS_EVERY_SECONDS);
            int workers = target.getSpec().getComponents().get(PlatformComponent.CONNECT.componentName()).getReplicas();
            // the mirror's restart, on each of its connectors: carried out once on each, as a RestartConnector is on its own
            connectors.put(sourceName, new ConnectorSpec(SOURCE_CLASS, Math.max(1, workers), copy, m.getState(), m.getRestart(), null));
            causes.put(sourceName, m.getCommandId());
            if (!m.getGroups().isEmpty()) {
                Map<String, String> checkpoints = new TreeMap<>(config);
                checkpoints.put("groups", String.join(",", m.getGroups()));
                checkpoints.put("checkpoints.topic.replication.factor", rf(target));
                checkpoints.put("sync.group.offsets.enabled", Boolean.toString(m.getSyncGroupOffsets()));
                checkpoints.put("emit.checkpoints.interval.seconds", GROUP_OFFSETS_EVERY_SECONDS);
                checkpoints.put("sync.group.offsets.interval.seconds", GROUP_OFFSETS_EVERY_SECONDS);
                checkpoints.put("refresh.groups.interval.seconds", REFRESH_GROUPS_EVERY_SECONDS);
                String checkpointName = MirrorShape.checkpointConnector(mirror);
                connectors.put(checkpointName, new ConnectorSpec(CHECKPOINT_CLASS, 1, checkpoints, m.getState(), m.getRestart(), null));
                causes.put(checkpointName, m.getCommandId());
            }
            String heartbeatName = MirrorShape.heartbeatConnector(mirror);
            connectors.put(heartbeatName, new ConnectorSpec(HEARTBEAT_CLASS, 1,
                    MirrorHeartbeats.config(target, names, m, mirror, s, verifyHostnames, copied), m.getState(), m.getRestart(), null));
            causes.put(heartbeatName, m.getCommandId());
            keys.put(mirror, Map.copyOf(copied));
        }
        return new MirrorConnectors(Map.copyOf(connectors), Map.copyOf(causes), Map.copyOf(notRunnable), Map.copyOf(keys), Set.copyOf(leftAlone),
                Set.copyOf(stopped), Set.copyOf(keptKeys));
    }

    /**
     * With the mirrors that must wait left alone: a source's Secret not made yet, or connect pods not yet running with what
     * the mirror Secret holds now (a connector made or changed before they do would read files Kubernetes has not refreshed).
     * Their connectors are neither created, changed nor deleted, and stay managed; each says why.
     *
     * @param waiting by mirror, why
     */
    public MirrorConnectors without(Map<String, String> waiting) {
        if (waiting.isEmpty()) {
            return this;
        }
        Map<String, ConnectorSpec> kept = new TreeMap<>(connectors);
        Map<String, String> why = new TreeMap<>(notRunnable);
        Set<String> alone = new TreeSet<>(leftAlone);
        waiting.forEach((mirror, reason) -> {
            kept.keySet().removeAll(MirrorShape.connectorNames(mirror));
            alone.addAll(MirrorShape.connectorNames(mirror));
            why.put(mirror, reason);
        });
        return new MirrorConnectors(Map.copyOf(kept), causes, Map.copyOf(why), secretKeys, Set.copyOf(alone), stopped, keptKeys);
    }

    /** The state as the connector machinery is to drive it: the connectors the state names, then its mirrors'. */
    public ClusterState merged(ClusterState state) {
        if (connectors.isEmpty()) {
            return state;
        }
        Map<String, ConnectorSpec> all = new TreeMap<>(state.getConnectors());
        all.putAll(connectors);
        return ClusterState.newBuilder(state).setConnectors(all).build();
    }

    /** Why the mirror cannot run from this source as it is, with what to do; empty: it can. */
    private static Optional<String> unrunnable(ClusterState target, String mirror, MirrorSpec m, ClusterState source) {
        if (Phases.DELETED.equals(source.getStatus().getPhase())) {
            return Optional.of("source cluster '" + m.getSourceCluster() + "' was deleted (version " + source.getVersion() + "): send"
                    + " DeleteMirror " + mirror + ", or SetMirror it to another source");
        }
        if (source.getSpec().getDeleteRequested()) {
            return Optional.of("source cluster '" + m.getSourceCluster() + "' is being deleted: send DeleteMirror " + mirror);
        }
        Optional<String> loop = MirrorLoops.refused(target, mirror, m, source);
        if (loop.isPresent()) {
            return loop;
        }
        String auth = source.getSpec().getClientAuthentication();
        String user = m.getSourceUser();
        if (user == null) {
            return UserShape.authenticatesClients(auth) ? Optional.of("source cluster '" + m.getSourceCluster() + "' requires client"
                    + " certificates (clientAuthentication " + auth + "), and the mirror names no sourceUser: create a user there"
                    + " (CreateUser) with " + SOURCE_ACLS + ", then send SetMirror with sourceUser") : Optional.empty();
        }
        if (!UserShape.namesClients(auth)) {
            return Optional.empty(); // a source that names no client takes no certificate: the user is not needed
        }
        UserSpec spec = source.getUsers().get(user);
        if (spec == null) {
            return Optional.of("sourceUser '" + user + "' does not exist on source cluster '" + m.getSourceCluster() + "': create it there"
                    + " (CreateUser) with " + SOURCE_ACLS);
        }
        if (!"TLS".equals(spec.getAuthentication())) {
            return Optional.of("sourceUser '" + user + "' of cluster '" + m.getSourceCluster() + "' authenticates by " + spec.getAuthentication()
                    + ", and a mirror presents a client certificate: create a TLS user for it (CreateUser) with " + SOURCE_ACLS);
        }
        return Optional.empty();
    }

    /** What both connectors of a mirror are given: the two clusters, the policy, TLS through the mirror Secret, raw bytes. */
    private static Map<String, String> common(ClusterState target, ClusterNames names, MirrorSpec m, String mirror, String targetBootstrap,
                                              Source s, boolean verifyHostnames, Map<String, MirrorSecret.From> keys) {
        Map<String, String> p = new TreeMap<>();
        p.put("source.cluster.alias", m.getSourceCluster());
        p.put("target.cluster.alias", target.getClusterId());
        p.put("source.cluster.bootstrap.servers", s.bootstrap());
        p.put("target.cluster.bootstrap.servers", targetBootstrap);
        p.put("replication.policy.class", policyClass(m));
        p.put("offset-syncs.topic.location", "target");
        p.put("key.converter", BYTES);
        p.put("value.converter", BYTES);
        p.put("header.converter", BYTES);
        p.putAll(sourceTls("source.cluster.", names, m, mirror, s, verifyHostnames, keys));
        keys.put(MirrorSecret.TARGET_CA, new MirrorSecret.From(names.namespace(), names.clusterCaCertSecret(), TlsSecrets.CA_CERT));
        tls(p, "target.cluster.", names, MirrorSecret.TARGET_CA, verifyHostnames);
        if (UserShape.authenticatesClients(target.getSpec().getClientAuthentication())) {
            // the mirror's own clients of the target are the workers' user (User:connect), its certificate copied like a source
            // user's and named through the directory provider: not by the pods' /etc/kafka/identity path, which a connector's
            // configuration would name literally, so that the Secret's content hash also holds the mirror back until the pods run
            // with a re-issued certificate, and a mirror finds each of its credentials one way
            String connect = names.userSecret(PlatformComponent.CONNECT.componentName());
            keys.put(MirrorSecret.TARGET_USER_CERT, new MirrorSecret.From(names.namespace(), connect, TlsSecrets.CLIENT_CERT));
            keys.put(MirrorSecret.TARGET_USER_KEY, new MirrorSecret.From(names.namespace(), connect, TlsSecrets.CLIENT_KEY));
            p.put("target.cluster.ssl.keystore.type", "PEM");
            p.put("target.cluster.ssl.keystore.certificate.chain", reference(names, MirrorSecret.TARGET_USER_CERT));
            p.put("target.cluster.ssl.keystore.key", reference(names, MirrorSecret.TARGET_USER_KEY));
        }
        return p;
    }

    /**
     * How a mirror's clients reach its source, under {@code prefix}: trusting the source's CA and, where the source names its
     * clients by certificate, presenting the sourceUser's, each named through the workers' directory provider.
     */
    static Map<String, String> sourceTls(String prefix, ClusterNames names, MirrorSpec m, String mirror, Source s, boolean verifyHostnames,
                                         Map<String, MirrorSecret.From> keys) {
        Map<String, String> p = new TreeMap<>();
        String sourceCa = MirrorSecret.key(mirror, MirrorSecret.SOURCE_CA);
        keys.put(sourceCa, new MirrorSecret.From(s.names().namespace(), s.names().clusterCaCertSecret(), TlsSecrets.CA_CERT));
        tls(p, prefix, names, sourceCa, verifyHostnames);
        if (presentsSourceUser(m, s)) {
            String user = m.getSourceUser();
            String cert = MirrorSecret.key(mirror, MirrorSecret.SOURCE_USER_CERT);
            String key = MirrorSecret.key(mirror, MirrorSecret.SOURCE_USER_KEY);
            keys.put(cert, new MirrorSecret.From(s.names().namespace(), s.names().userSecret(user), TlsSecrets.CLIENT_CERT));
            keys.put(key, new MirrorSecret.From(s.names().namespace(), s.names().userSecret(user), TlsSecrets.CLIENT_KEY));
            p.put(prefix + "ssl.keystore.type", "PEM");
            p.put(prefix + "ssl.keystore.certificate.chain", reference(names, cert));
            p.put(prefix + "ssl.keystore.key", reference(names, key));
        }
        return p;
    }

    /** Whether the mirror presents its sourceUser's certificate to the source: it names one, and the source names clients by theirs. */
    static boolean presentsSourceUser(MirrorSpec m, Source s) {
        return m.getSourceUser() != null && UserShape.namesClients(s.state().getSpec().getClientAuthentication());
    }

    static String policyClass(MirrorSpec m) {
        return MirrorLoops.IDENTITY.equals(m.getReplicationPolicy())
                ? "org.apache.kafka.connect.mirror.IdentityReplicationPolicy" : "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
    }

    private static void tls(Map<String, String> p, String prefix, ClusterNames names, String caKey, boolean verifyHostnames) {
        p.put(prefix + "security.protocol", "SSL");
        p.put(prefix + "ssl.truststore.type", "PEM");
        p.put(prefix + "ssl.truststore.certificates", reference(names, caKey));
        if (!verifyHostnames) {
            p.put(prefix + "ssl.endpoint.identification.algorithm", "");
        }
    }

    /** {@code ${directory:/mnt/secrets/<cluster>-mirrors:<key>}}: resolved by the workers when they start the connector. */
    static String reference(ClusterNames names, String key) {
        return "${directory:" + ComponentPodTemplate.USER_SECRETS_MOUNT + "/" + names.mirrorsSecret() + ":" + key + "}";
    }

    /**
     * The path of a file of the mirror Secret on the connect pods, for a setting that takes a file where the workers' own
     * settings name one (Kafka refuses a file and inline PEM together); a path, never content.
     */
    static String path(ClusterNames names, String key) {
        return ComponentPodTemplate.USER_SECRETS_MOUNT + "/" + names.mirrorsSecret() + "/" + key;
    }

    /** The replication factor of topics a mirror makes on the cluster: of its size. */
    static String rf(ClusterState cluster) {
        return Integer.toString(KafkaProperties.replicationFactor(cluster.getSpec().getBrokers()));
    }
}
