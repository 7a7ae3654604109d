package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.BrokerConfigRefusalReasons;
import io.coxswain.commands.ExecutorRefusalKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Whether what the executor refuses for a cluster ({@code status.executorRefusals}, the Blocked lines of cox get) keeps what a
 * wait waits for from ever happening, so that the wait stops at once instead of running out its timeout: cox wait, a fleet
 * run's wave, cox offsets reset --wait. A refusal is in the way when it concerns what is waited for ({@link Scope}) and
 * <ul>
 *   <li>the executor has acted on the change waited for: what it refuses then is what it left undone of it; or</li>
 *   <li>it refuses something it did not when the wait began: it has looked at the cluster since; or</li>
 *   <li>Kafka refused a live broker key that the state still asks for at the refused value: the executor acts on no later
 *   change until that is fixed, and asks Kafka the same again.</li>
 * </ul>
 * Any other refusal from before the wait may be lifted by the change waited for (one that undoes or corrects what was refused),
 * so it is waited past until the executor answers: lifted, or refused anew. Pure.
 */
final class RefusalsInTheWay {

    /** Refusals under which the executor does nothing for the cluster, whatever is waited for. */
    private static final Set<String> WHOLE_CLUSTER = Set.of(ExecutorRefusalKeys.NAMESPACE, ExecutorRefusalKeys.STATE_SCHEMA);

    /** Which refusals, by key, concern what a wait waits for. */
    enum Scope {
        /** Everything asked of the cluster (cox wait, a fleet config): it is settled only with nothing refused. */
        EVERYTHING(key -> true),
        /**
         * An operation (a fleet upgrade or restart): the executor runs none, or does nothing for the cluster at all. What Kafka
         * refused beside it (a live key, a topic) does not hold an operation up.
         */
        OPERATION(key -> key.equals(ExecutorRefusalKeys.OPERATION) || WHOLE_CLUSTER.contains(key)),
        /** A consumer group's offset reset: the executor carries out none, or does nothing for the cluster at all. */
        OFFSET_RESET(key -> key.equals(ExecutorRefusalKeys.OFFSET_RESETS) || WHOLE_CLUSTER.contains(key)),
        /** Only a record in the cluster's state, nothing the executor does (a fleet approvals policy). */
        NOTHING(key -> false);

        private final Predicate<String> concerns;

        Scope(Predicate<String> concerns) {
            this.concerns = concerns;
        }
    }

    private RefusalsInTheWay() {
    }

    /**
     * The refusals of {@code scope} that stand in the way, by key as {@code status.executorRefusals} has them; empty when none
     * does (yet).
     *
     * @param before  the cluster (GET /v1/clusters/{id}) when the wait began
     * @param now     the cluster as read now
     * @param actedOn whether the executor has acted on the change waited for, as {@code now} shows it
     */
    static ObjectNode of(Scope scope, JsonNode before, JsonNode now, boolean actedOn) {
        ObjectNode concerned = GatewayClient.JSON.createObjectNode();
        now.at("/status/executorRefusals").fields().forEachRemaining(e -> {
            if (scope.concerns.test(e.getKey())) {
                concerned.set(e.getKey(), e.getValue());
            }
        });
        if (concerned.isEmpty() || actedOn || refusedSince(before.at("/status/executorRefusals"), concerned) || refusedStillAsked(now, concerned)) {
            return concerned;
        }
        return GatewayClient.JSON.createObjectNode();
    }

    /** One line per refusal, as cox get prints it: {@code Blocked: KEY: REASON (since T, command C)}. */
    static List<String> lines(JsonNode refusals) {
        List<String> lines = new ArrayList<>();
        refusals.fields().forEachRemaining(e -> lines.add("Blocked: " + e.getKey() + ": " + Output.text(e.getValue(), "reason") + " (since "
                + Output.text(e.getValue(), "since") + (e.getValue().hasNonNull("commandId") ? ", command " + e.getValue().get("commandId").asText() : "")
                + ")"));
        return lines;
    }

    /** Whether a refusal's reason differs from the one its key had when the wait began (or the key had none). */
    private static boolean refusedSince(JsonNode before, JsonNode now) {
        for (Map.Entry<String, JsonNode> key : (Iterable<Map.Entry<String, JsonNode>>) now::fields) {
            if (!key.getValue().path("reason").equals(before.path(key.getKey()).path("reason"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of {@code refusals} is a live broker key Kafka refused that the cluster's state still asks for as refused. */
    private static boolean refusedStillAsked(JsonNode cluster, JsonNode refusals) {
        Map<String, String> config = new TreeMap<>();
        cluster.at("/spec/brokerConfig").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        for (Map.Entry<String, JsonNode> key : (Iterable<Map.Entry<String, JsonNode>>) refusals::fields) {
            if (key.getKey().startsWith(BrokerConfigRefusalReasons.KEY_PREFIX)
                    && BrokerConfigRefusalReasons.stillAsked(key.getValue().path("reason").asText(), config)) {
                return true;
            }
        }
        return false;
    }
}
