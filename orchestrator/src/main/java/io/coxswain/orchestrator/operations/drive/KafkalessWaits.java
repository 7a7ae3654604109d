package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.commands.ExecutorRefusalKeys;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the steps beside the operations ({@link OperationDrivers#drive}: topics, users, live broker keys, connectors, mirrors,
 * consumer group offset resets) would do on the cluster's Kafka or Connect, and an executor whose pods run none never does,
 * one line per kind under its key in {@code status.executorRefusals}. Read from the state alone: with no Kafka, nothing the
 * state asks of it was ever done, and nothing it no longer asks (a topic or a user deleted) is left to undo. Pure.
 */
final class KafkalessWaits {

    static final String TOPICS = "topics";
    static final String USERS = "users";
    /** Not {@code brokerConfig/...}: those are what a real Kafka refused ({@link BrokerConfigSync#REFUSAL_KEY}). */
    static final String BROKER_CONFIG = "brokerConfig";
    static final String CONNECTORS = "connectors";
    static final String MIRRORS = "mirrors";
    static final String OFFSET_RESETS = ExecutorRefusalKeys.OFFSET_RESETS;
    static final Set<String> KEYS = Set.of(TOPICS, USERS, BROKER_CONFIG, CONNECTORS, MIRRORS, OFFSET_RESETS);
    /** Names listed in a line before the rest are only counted: the line stays readable beside a hundred topics. */
    static final int NAMES_SHOWN = 5;

    private KafkalessWaits() {
    }

    /** Each kind of thing that waits, by its key, described ("topics orders, audit (2) not created"); none: nothing waits. */
    static Map<String, String> of(ClusterState state) {
        Map<String, String> out = new TreeMap<>();
        if (!state.getTopics().isEmpty()) {
            out.put(TOPICS, names("topic", "topics", state.getTopics().keySet()) + " not created");
        }
        // the users DECIDE takes only on a cluster that names its clients; UserSync leaves the others alone
        if (!state.getUsers().isEmpty() && UserShape.namesClients(state.getSpec().getClientAuthentication())) {
            List<String> users = new ArrayList<>();
            new TreeMap<>(state.getUsers()).forEach((name, spec) -> users.add(name + " (" + String.join(", ", userParts(spec)) + ")"));
            out.put(USERS, (users.size() == 1 ? "user " : "users ") + shown(users) + " not set up");
        }
        List<String> live = liveKeys(state);
        if (!live.isEmpty()) {
            out.put(BROKER_CONFIG, names("broker setting", "broker settings", live) + " not applied");
        }
        if (!state.getConnectors().isEmpty()) {
            out.put(CONNECTORS, names("connector", "connectors", state.getConnectors().keySet()) + " not created");
        }
        if (!state.getSpec().getMirrors().isEmpty()) {
            List<String> mirrors = new ArrayList<>();
            new TreeMap<>(state.getSpec().getMirrors()).forEach((name, m) -> mirrors.add(name + " (from " + m.getSourceCluster() + ")"));
            out.put(MIRRORS, (mirrors.size() == 1 ? "mirror " : "mirrors ") + shown(mirrors) + " not started");
        }
        if (!state.getSpec().getOffsetResets().isEmpty()) {
            out.put(OFFSET_RESETS, names("offset reset of consumer group", "offset resets of consumer groups",
                    state.getSpec().getOffsetResets().keySet()) + " not carried out");
        }
        return out;
    }

    /** What a user gets on the cluster: its identity, then its ACLs and quotas on Kafka. */
    private static List<String> userParts(UserSpec spec) {
        List<String> parts = new ArrayList<>();
        parts.add(UserShape.isScram(spec.getAuthentication()) ? "SCRAM credentials" : "certificate Secret");
        if (!spec.getAcls().isEmpty()) {
            parts.add(spec.getAcls().size() + (spec.getAcls().size() == 1 ? " ACL" : " ACLs"));
        }
        if (spec.getQuotas() != null) {
            parts.add("quotas");
        }
        return parts;
    }

    /** The state's broker keys Kafka changes live, which {@link BrokerConfigSync} would apply (the others roll: an operation). */
    private static List<String> liveKeys(ClusterState state) {
        Set<String> keys = new TreeSet<>(BrokerConfigSync.wanted(state, DynamicConfigs.Mode.CLUSTER_WIDE).keySet());
        keys.addAll(BrokerConfigSync.wanted(state, DynamicConfigs.Mode.PER_BROKER).keySet());
        return List.copyOf(keys);
    }

    /** {@code topic orders}, {@code topics orders, audit (2)}. */
    private static String names(String one, String many, Collection<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() == 1 ? one + " " + sorted.get(0) : many + " " + shown(sorted) + " (" + sorted.size() + ")";
    }

    /** The first {@link #NAMES_SHOWN} items, then how many more. */
    private static String shown(List<String> items) {
        String first = String.join(", ", items.subList(0, Math.min(NAMES_SHOWN, items.size())));
        return items.size() > NAMES_SHOWN ? first + " and " + (items.size() - NAMES_SHOWN) + " more" : first;
    }
}
