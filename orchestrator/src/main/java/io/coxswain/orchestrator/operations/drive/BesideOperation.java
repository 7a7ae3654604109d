package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps that wait for no operation, taken beside a running one once per change of what each acts on, unlike topics (a
 * partition placed on a broker that a scale is draining or adding) and live broker keys (a roll brings them):
 * <ul>
 *   <li>users: certificates and ACLs touch no pod and no partition, and an application team should not wait hours for a
 *       large cluster's upgrade to get its identity; Kafka takes ACL changes through any broker that is up;</li>
 *   <li>connectors: they run on the Connect workers, not on the brokers being rolled or drained;</li>
 *   <li>consumer group offset resets: a group's offsets are its coordinator's, which a roll moves for a moment at worst.</li>
 * </ul>
 * None holds up or fails the operation: a failure is logged and tried again on the next pass (not at each step of the
 * operation, which would hold it up by a call timeout each time).
 */
final class BesideOperation {

    private static final Logger log = LoggerFactory.getLogger(BesideOperation.class);

    private final UserSync users;
    private final ConnectorSync connectors;
    private final OffsetResets offsetResets;
    private final KubernetesClient kube;
    private final Duration timeout;

    BesideOperation(UserSync users, ConnectorSync connectors, OffsetResets offsetResets, KubernetesClient kube, Duration timeout) {
        this.users = users;
        this.connectors = connectors;
        this.offsetResets = offsetResets;
        this.kube = kube;
        this.timeout = timeout;
    }

    /** What the connector step acts on: the connectors, those retired, the mirrors, the workers they run on. */
    private static List<Object> connectorsAsked(ClusterState state) {
        return Arrays.asList(state.getConnectors(), state.getRetiredConnectors(), state.getSpec().getMirrors(),
                state.getSpec().getComponents().get(PlatformComponent.CONNECT.componentName()));
    }

    /** The steps of one drive: what each last acted on, so each runs once per change of it. */
    Pass pass() {
        return new Pass();
    }

    final class Pass {
        private Object usersTried;
        private Object connectorsTried;
        private Object resetsTried;

        private Pass() {
        }

        void step(RunningOperation op, ReconcilePass pass, ClusterNames names, Admin admin, ClusterAccess access) {
            ClusterState state = pass.state();
            String cause = pass.cause();
            if (!state.getUsers().equals(usersTried)) {
                usersTried = state.getUsers();
                try {
                    users.sync(state, names, cause, kube, admin, access, timeout);
                } catch (AdminCalls.AdminCallFailed | KubernetesClientException e) {
                    warn("users", op, state, cause, e.getMessage());
                }
            }
            if (!connectorsAsked(state).equals(connectorsTried)) {
                connectorsTried = connectorsAsked(state);
                try {
                    connectors.sync(state, names, cause);
                } catch (RuntimeException e) {
                    warn("connectors", op, state, cause, e.toString());
                }
            }
            if (!state.getSpec().getOffsetResets().equals(resetsTried)) {
                resetsTried = state.getSpec().getOffsetResets();
                offsetResets.sync(pass, admin, timeout); // contains its own failures, reset by reset
            }
        }

        private void warn(String what, RunningOperation op, ClusterState state, String cause, String error) {
            log.warn("cluster {}: {} not yet aligned with the state beside running operation {} (cause {}): {}; tried again on the next"
                    + " pass", state.getClusterId(), what, op.id(), cause, error);
        }
    }
}
