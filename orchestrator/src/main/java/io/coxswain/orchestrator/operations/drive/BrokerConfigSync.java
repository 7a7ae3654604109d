package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.BrokerConfigRefusalReasons;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.config.ConfigChange;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import io.coxswain.orchestrator.operations.config.DynamicConfigs.Mode;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker configuration keys Kafka changes without a restart, applied live and level-triggered:
 * the state's values of those keys are compared with the cluster's dynamic configuration
 * (cluster-wide keys on the cluster default, per-broker keys on each registered broker) and the
 * difference is applied with {@code incrementalAlterConfigs}. These keys are left out of the pods'
 * configuration hash ({@link KafkaProperties#configHash}), so changing only them rolls nobody; the
 * ConfigMaps still carry them, so a pod created later starts with them too.
 *
 * <p>The state is the whole truth of the dynamic broker configuration: an override of a dynamic
 * key the state does not name is removed, read from the live cluster each time (no memory, so a
 * restarted node removes what an earlier one was told to remove). Left alone are what Kafka and
 * Coxswain's own operations write there: the replication throttles of a rebalancing, Coxswain's
 * reserved keys, and the cluster-level {@code min.insync.replicas} Kafka writes itself with ELR
 * (and refuses to remove); the state may still set it.
 *
 * <p>Kafka may refuse a change (a value out of range, a policy): the refusal is recorded once, the
 * same change is tried again after a growing delay ({@link RefusedChanges}), and recorded again only
 * when Kafka's answer changes or the change finally goes through. What Kafka refuses still is reported to the state
 * ({@link #refusals}: {@code status.executorRefusals}, keys {@code brokerConfig/cluster-default}, {@code brokerConfig/broker-<id>}).
 */
final class BrokerConfigSync {

    private static final Logger log = LoggerFactory.getLogger(BrokerConfigSync.class);
    private static final Set<String> OPERATIONS_KEYS = Set.of(ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE);
    /** Written by Kafka itself on the cluster default (with ELR) and not removable: set when the state says, never removed. */
    private static final Set<String> KAFKA_OWN_DEFAULTS = Set.of("min.insync.replicas");
    static final String KIND = "KafkaBrokerConfig";
    /** A broker's place ({@link RefusedChanges}, the recorded action's name): "broker 3". */
    private static final String BROKER = "broker ";

    /** The prefix of this step's keys in {@code status.executorRefusals}. */
    static final String REFUSAL_KEY = BrokerConfigRefusalReasons.KEY_PREFIX;

    private final OperationRecorder recorder;
    private final RefusedChanges refusals;
    /** Per place, what is reported of Kafka's last refusal there; counts only while {@link #refusals} still holds the place. */
    private final Map<String, ExecutorRefusalObserved> told = new ConcurrentHashMap<>();
    /** The clusters this executor has synced: for the others, what the state shows of their refusals stands. */
    private final Set<String> synced = ConcurrentHashMap.newKeySet();

    BrokerConfigSync(OperationRecorder recorder) {
        this(recorder, System::nanoTime);
    }

    BrokerConfigSync(OperationRecorder recorder, LongSupplier nanoClock) {
        this.recorder = recorder;
        this.refusals = new RefusedChanges(nanoClock);
    }

    /** @return false while Kafka refuses a live change (the state's value is then not what runs): not acted on */
    boolean sync(ClusterState state, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, String> clusterWide = wanted(state, Mode.CLUSTER_WIDE);
        Map<String, String> perBroker = wanted(state, Mode.PER_BROKER);

        ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigChange change = DynamicConfigs.diff(live(admin, defaults, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, clusterWide, timeout),
                clusterWide);
        boolean applied = apply(cluster, cause, admin, timeout, change, List.of(), "cluster default");
        Collection<Node> registered = AdminCalls.await("describeCluster", admin.describeCluster(new DescribeClusterOptions()
                .includeFencedBrokers(true)).nodes(), timeout);
        // a refusal on a broker the cluster no longer has (scaled in) is over: it would keep the cluster's change not acted on
        refusals.clearAll(cluster + "/" + BROKER, registered.stream().map(b -> cluster + "/" + BROKER + b.id()).collect(Collectors.toSet()));
        // only brokers that answer: a fenced or restarting one gets the values at a later pass (or from its ConfigMap)
        for (Node broker : registered.stream().filter(b -> !b.isFenced()).toList()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
            change = DynamicConfigs.diff(live(admin, resource, ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker, timeout), perBroker);
            applied &= apply(cluster, cause, admin, timeout, change, List.of(broker.id()), BROKER + broker.id());
        }
        synced.add(cluster);
        return applied;
    }

    /**
     * The live changes Kafka refuses still, keyed for {@code status.executorRefusals}; before this executor's first sync of the
     * cluster, the state's (a new owner does not clear a refusal it has not asked Kafka about yet).
     */
    Map<String, ExecutorRefusalObserved> refusals(ClusterState state) {
        String cluster = state.getClusterId();
        Map<String, ExecutorRefusalObserved> out = new TreeMap<>();
        if (!synced.contains(cluster)) {
            state.getStatus().getExecutorRefusals().forEach((key, shown) -> {
                if (key.startsWith(REFUSAL_KEY)) {
                    out.put(key, new ExecutorRefusalObserved(shown.getReason(), shown.getCommandId()));
                }
            });
            return out;
        }
        told.forEach((place, refusal) -> {
            if (place.startsWith(cluster + "/") && refusals.refusedAt(place)) {
                out.put(REFUSAL_KEY + place.substring(cluster.length() + 1).replace(' ', '-'), refusal);
            }
        });
        return out;
    }

    /**
     * Whether Kafka refuses a live change of the cluster still (as of its last sync): its change is not acted on, though a
     * later change starts an operation (live keys wait while one runs, so this stays until the sync after it).
     */
    boolean refusing(String cluster) {
        return refusals.anyAt(cluster + "/");
    }

    void forget(String cluster) {
        refusals.clearAll(cluster + "/", Set.of());
        told.keySet().removeIf(place -> place.startsWith(cluster + "/"));
        synced.remove(cluster);
    }

    /** @return whether the place runs the change now (false: Kafka refused it, now or still) */
    private boolean apply(String cluster, String cause, Admin admin, Duration timeout, ConfigChange change, List<Integer> brokers, String where) {
        String place = cluster + "/" + where;
        if (change.isEmpty()) {
            refusals.clear(place);
            return true;
        }
        String summary = change.summary();
        // the values, not only the keys, tell one change from another: a corrected value is tried at once, not after the delay
        return refusals.attempt(place, asked(change), BrokerConfigSync::refusal, () -> DynamicConfigs.applyLive(admin, change, brokers, timeout),
                new RefusedChanges.Telling() {
                    @Override
                    public void making() {
                        recorder.configAction(cluster, where, "UpdateBrokerConfig: keys Kafka changes without a restart, applied live", cause, summary);
                    }

                    @Override
                    public void refused(String error, boolean news, boolean retry) {
                        // the command it was first refused under stays while the same change is refused
                        String first = retry && told.containsKey(place) ? told.get(place).getCommandId() : cause;
                        told.put(place, new ExecutorRefusalObserved(refusalReason(cluster, where, change, error), first));
                        if (news) {
                            recorder.configAction(cluster, where, "refused by Kafka: " + error + "; tried again after a growing delay (at most "
                                    + RefusedChanges.MAX_DELAY.toMinutes() + " min), recorded again only if the answer changes", cause, summary);
                        }
                        log.warn("cluster {}: Kafka refused the live configuration change on {} ({}): {}; trying again in {} s. "
                                + "Correct the value with UpdateBrokerConfig if it is wrong.", cluster, where, summary, error,
                                refusals.delay(place).toSeconds());
                    }

                    @Override
                    public void takenAfterRefusal() {
                        recorder.configAction(cluster, where, "applied live after Kafka had refused it", cause, summary);
                    }
                });
    }

    /** The live keys of the change with their values: {@code message.max.bytes=-5, removing log.cleaner.threads}. */
    private static String asked(ConfigChange change) {
        return BrokerConfigRefusalReasons.asked(keys(change));
    }

    private static Map<String, java.util.Optional<String>> keys(ConfigChange change) {
        Map<String, java.util.Optional<String>> keys = new TreeMap<>(change.clusterWide());
        keys.putAll(change.perBroker());
        return keys;
    }

    /** What {@code status.executorRefusals} says of a refused change: what, where, Kafka's answer and the ways out. */
    private static String refusalReason(String cluster, String where, ConfigChange change, String error) {
        return BrokerConfigRefusalReasons.reason(keys(change), where.startsWith(BROKER) ? where : "the " + where, error
                + "; tried again after a growing delay (at most " + RefusedChanges.MAX_DELAY.toMinutes() + " min). Fix the value with cox config set "
                + cluster + " KEY=VALUE, or drop it with cox config remove " + cluster + " KEY (UpdateBrokerConfig)");
    }

    /** Any answer from Kafka about the live change, but not a timeout or a broker going away (which fail the pass and are retried). */
    private static boolean refusal(Throwable answer) {
        return answer instanceof ApiException && !(answer instanceof RetriableException);
    }

    /** The state's broker configuration restricted to keys of one mode (Coxswain's own keys never come from it). */
    static Map<String, String> wanted(ClusterState state, Mode mode) {
        Map<String, String> out = new TreeMap<>();
        state.getSpec().getBrokerConfig().forEach((k, v) -> {
            if (!KafkaProperties.RESERVED.contains(k) && DynamicConfigs.modeOf(k) == mode) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The dynamic overrides of one resource that Coxswain manages: keys of the mode of the resource,
     * less the ones Kafka and the operations write ({@link #OPERATIONS_KEYS}, {@link #KAFKA_OWN_DEFAULTS}
     * unless the state names them). A sensitive value is never described back; it counts as the
     * wanted one, since it cannot be compared.
     */
    private static Map<String, String> live(Admin admin, ConfigResource resource, ConfigSource source, Map<String, String> wanted,
                                            Duration timeout) {
        Config config = AdminCalls.await("describeConfigs(" + resource + ")", admin.describeConfigs(List.of(resource)).all(), timeout).get(resource);
        Mode mode = resource.name().isEmpty() ? Mode.CLUSTER_WIDE : Mode.PER_BROKER;
        Map<String, String> out = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
            String key = e.name();
            boolean kafkasOwn = OPERATIONS_KEYS.contains(key) || KafkaProperties.RESERVED.contains(key)
                    || (mode == Mode.CLUSTER_WIDE && KAFKA_OWN_DEFAULTS.contains(key) && !wanted.containsKey(key));
            if (e.source() != source || kafkasOwn || DynamicConfigs.modeOf(key) != mode) {
                continue;
            }
            out.put(key, e.isSensitive() && wanted.containsKey(key) ? wanted.get(key) : e.value());
        }
        return out;
    }
}
