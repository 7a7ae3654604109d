package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.MirrorSpec;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration of a mirror's {@code <name>-heartbeat} (MirrorHeartbeatConnector), pure. A heartbeat says a mirror flows
 * end to end only once the mirror has copied it, so it is written into the <b>source</b>'s {@code heartbeats} topic, which
 * the mirror's source connector always copies (whatever its topics) to {@code <source>.heartbeats} on the target: the
 * arrival of a record there shows the whole path works, and its age the mirror's lag, while the source's own topics are
 * idle. That is where MirrorMaker itself puts them for a flow source → target (its herder for target → source, which
 * produces to the source, runs the heartbeat connector), so each record names the pair target → source.
 *
 * <p>The connector creates the topic through its admin client of the cluster it calls the target, and its records go
 * wherever the Connect worker's producer writes, which is the target cluster the workers belong to. So both are pointed at
 * the source: {@code target.cluster.*} as the other connectors reach the source, and the producer by {@code
 * producer.override.*} (Connect's default {@code connector.client.config.override.policy}, {@code All}, allows it). The
 * workers' producer settings name their truststore (and, on a target requiring client certificates, their keystore) by
 * file, and Kafka refuses a file and inline PEM together, so the override names the mirror Secret's files by path too.
 */
final class MirrorHeartbeats {

    /**
     * MirrorMaker's default, stated: a heartbeat a second, so an operator measuring lag on {@code <source>.heartbeats}
     * knows the interval it is read against. One small record a second into a compacted one-partition topic is nothing.
     */
    static final String EVERY_SECONDS = "1";
    private static final String PRODUCER = "producer.override.";

    private MirrorHeartbeats() {
    }

    /**
     * @param target the cluster whose Connect runs the mirror
     * @param keys   what the mirror Secret is to hold for the mirror: the sourceUser's keystore file is added here
     */
    static Map<String, String> config(ClusterState target, ClusterNames names, MirrorSpec m, String mirror, MirrorConnectors.Source s,
                                      boolean verifyHostnames, Map<String, MirrorSecret.From> keys) {
        Map<String, String> p = new TreeMap<>();
        p.put("source.cluster.alias", target.getClusterId());
        p.put("target.cluster.alias", m.getSourceCluster());
        p.put("replication.policy.class", MirrorConnectors.policyClass(m));
        p.put("emit.heartbeats.interval.seconds", EVERY_SECONDS);
        // the topic is made on the source, so of the source's size
        p.put("heartbeats.topic.replication.factor", MirrorConnectors.rf(s.state()));
        p.put("key.converter", MirrorConnectors.BYTES);
        p.put("value.converter", MirrorConnectors.BYTES);
        p.put("header.converter", MirrorConnectors.BYTES);
        p.put("target.cluster.bootstrap.servers", s.bootstrap());
        p.putAll(MirrorConnectors.sourceTls("target.cluster.", names, m, mirror, s, verifyHostnames, keys));

        p.put(PRODUCER + "bootstrap.servers", s.bootstrap());
        p.put(PRODUCER + "security.protocol", "SSL");
        p.put(PRODUCER + "ssl.truststore.type", "PEM");
        p.put(PRODUCER + "ssl.truststore.location", MirrorConnectors.path(names, MirrorSecret.key(mirror, MirrorSecret.SOURCE_CA)));
        if (!verifyHostnames) {
            p.put(PRODUCER + "ssl.endpoint.identification.algorithm", "");
        }
        if (MirrorConnectors.presentsSourceUser(m, s)) {
            String keystore = MirrorSecret.key(mirror, MirrorSecret.SOURCE_USER_KEYSTORE);
            keys.put(keystore, new MirrorSecret.From(s.names().namespace(), s.names().userSecret(m.getSourceUser()), TlsSecrets.CLIENT_KEYSTORE));
            p.put(PRODUCER + "ssl.keystore.type", "PEM");
            p.put(PRODUCER + "ssl.keystore.location", MirrorConnectors.path(names, keystore));
        }
        return p;
    }
}
