package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.operations.AdminCalls;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Kafka's broker cordon (KIP-1066, {@code metadata.version} 4.3-IV0 and later): a broker whose log directories are all cordoned
 * gets no replica of a new topic or partition that Kafka places itself (an application's auto-created topic, a CreateTopics
 * without an assignment), while explicit assignments and reassignments still reach it. A scale-in cordons the leaving brokers
 * while it drains them and lifts the cordon just before they are let go: a broker id's dynamic configuration outlives the
 * broker, and a broker added later under the same id would start cordoned. One left behind by an operation that failed is
 * removed by {@link BrokerConfigSync} at the next pass without an operation (the state never names this key).
 */
final class Cordon {

    static final String KEY = "cordoned.log.dirs";

    private Cordon() {
    }

    /** @return Kafka's refusal (an older {@code metadata.version}, a Kafka without the key), if it refused */
    static Optional<String> set(DriveContext c, List<Integer> brokers, boolean cordoned) {
        AlterConfigOp op = cordoned ? new AlterConfigOp(new ConfigEntry(KEY, "*"), AlterConfigOp.OpType.SET)
                : new AlterConfigOp(new ConfigEntry(KEY, ""), AlterConfigOp.OpType.DELETE);
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        brokers.forEach(b -> ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(b)), List.of(op)));
        try {
            AdminCalls.await("incrementalAlterConfigs(" + (cordoned ? "cordon" : "lift the cordon of") + " brokers " + brokers + ")",
                    c.admin().incrementalAlterConfigs(ops).all(), c.settings().callTimeout());
            return Optional.empty();
        } catch (AdminCalls.AdminCallFailed e) {
            if (e.getCause() instanceof ApiException && !(e.getCause() instanceof RetriableException)) {
                return Optional.of(e.getMessage());
            }
            throw e; // a timeout, a broker restarting: the step is tried again
        }
    }
}
