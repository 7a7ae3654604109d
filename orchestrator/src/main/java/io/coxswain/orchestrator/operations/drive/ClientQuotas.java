package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.QuotaSpec;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/**
 * A user's quotas as Kafka client quotas of the entity {@code user=<name>}, and the alterations
 * that bring what the cluster has to what the state says. Only the three keys Coxswain sets are
 * compared, so a quota of another kind set by hand on a Coxswain user is left alone, like an ACL of
 * another principal.
 */
final class ClientQuotas {

    static final String KIND = "KafkaClientQuota";
    static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    static final String REQUEST_PERCENTAGE = "request_percentage";
    private static final List<String> KEYS = List.of(PRODUCER_BYTE_RATE, CONSUMER_BYTE_RATE, REQUEST_PERCENTAGE);

    private ClientQuotas() {
    }

    /** What the state asks for, by Kafka's quota key; empty for a user without quotas. */
    static Map<String, Double> desired(UserSpec user) {
        Map<String, Double> q = new TreeMap<>();
        QuotaSpec spec = user.getQuotas();
        if (spec != null) {
            if (spec.getProducerByteRate() != null) {
                q.put(PRODUCER_BYTE_RATE, spec.getProducerByteRate().doubleValue());
            }
            if (spec.getConsumerByteRate() != null) {
                q.put(CONSUMER_BYTE_RATE, spec.getConsumerByteRate().doubleValue());
            }
            if (spec.getRequestPercentage() != null) {
                q.put(REQUEST_PERCENTAGE, spec.getRequestPercentage());
            }
        }
        return q;
    }

    /** Every named user's quotas on the cluster, by user name: one call for all users. */
    static Map<String, Map<String, Double>> live(Admin admin, Duration timeout) {
        ClientQuotaFilter users = ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.USER)));
        Map<ClientQuotaEntity, Map<String, Double>> all = AdminCalls.await("describeClientQuotas(user)", admin.describeClientQuotas(users).entities(),
                timeout);
        Map<String, Map<String, Double>> byUser = new TreeMap<>();
        all.forEach((entity, quotas) -> {
            String user = entity.entries().get(ClientQuotaEntity.USER);
            if (user != null) { // null is the default of all users, which no user of Coxswain's sets
                byUser.put(user, quotas);
            }
        });
        return byUser;
    }

    /** Sets of the keys whose values differ, and removals (a null value) of Coxswain's keys the state no longer asks for. */
    static List<ClientQuotaAlteration.Op> ops(Map<String, Double> desired, Map<String, Double> live) {
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        for (String key : KEYS) {
            Double want = desired.get(key);
            Double have = live.get(key);
            if (!Objects.equals(want, have)) {
                ops.add(new ClientQuotaAlteration.Op(key, want));
            }
        }
        return ops;
    }

    static ClientQuotaAlteration alteration(String user, List<ClientQuotaAlteration.Op> ops) {
        return new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user)), ops);
    }

    /** For the record: {@code producer_byte_rate=1048576, request_percentage removed}, in key order. */
    static String describe(List<ClientQuotaAlteration.Op> ops) {
        return ops.stream().sorted(java.util.Comparator.comparing(ClientQuotaAlteration.Op::key))
                .map(op -> op.value() == null ? op.key() + " removed" : op.key() + "=" + format(op.value()))
                .collect(Collectors.joining(", "));
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
