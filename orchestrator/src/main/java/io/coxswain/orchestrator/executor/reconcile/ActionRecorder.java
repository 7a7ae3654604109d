package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.orchestrator.executor.ObservationSink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Records each action as a {@code ResourceActionObserved} before it is taken, after checking that
 * this executor still owns the cluster: an executor that lost the cluster's partition must not
 * take one more action, not even a recorded one. Optionally also as a Kubernetes Event ({@link ActionEvents}).
 */
public final class ActionRecorder {

    private static final Logger log = LoggerFactory.getLogger(ActionRecorder.class);

    private final ObservationSink sink;
    private final Predicate<String> owned;
    private final ActionEvents events;

    /** @param owned whether this executor owns a cluster right now */
    public ActionRecorder(ObservationSink sink, Predicate<String> owned) {
        this(sink, owned, null);
    }

    /** @param events publishes each recorded action as a Kubernetes Event too; null for none */
    public ActionRecorder(ObservationSink sink, Predicate<String> owned, ActionEvents events) {
        this.sink = sink;
        this.owned = owned;
        this.events = events;
    }

    /** Records the action; throws {@link NotOwnedException} instead if the cluster moved away. */
    public void before(String clusterId, ResourceAction action, HasMetadata object, String reason, String causeCommandId, String detail) {
        requireOwned(clusterId);
        ResourceActionObserved observed = ResourceActionObserved.newBuilder()
                .setAction(action).setKind(object.getKind()).setNamespace(object.getMetadata().getNamespace())
                .setName(object.getMetadata().getName()).setReason(reason).setCauseCommandId(causeCommandId)
                .setDetail(detail == null || detail.isEmpty() ? null : detail)
                .build();
        String commandId = sink.record(clusterId, observed);
        log.info("cluster {}: {} {} {}/{} ({}; cause {}, recorded as {})", clusterId, action, object.getKind(),
                object.getMetadata().getNamespace(), object.getMetadata().getName(), reason, causeCommandId, commandId);
        if (events != null) {
            events.publish(clusterId, object, observed, commandId); // after the log: the record comes first, the Event is a courtesy
        }
    }

    /**
     * Tells the operator of something Coxswain would not do, which is no action on an object and so no record of the
     * command log: logged at WARN, and a Warning Event on {@code object} (null: the log only) when Events are on.
     */
    public void warn(String clusterId, HasMetadata object, String reason, String message) {
        tell(Level.WARN, clusterId, object, reason, message);
    }

    /** As {@link #warn}, logged at ERROR: Coxswain will not act on the cluster at all until the operator does something. */
    public void error(String clusterId, HasMetadata object, String reason, String message) {
        tell(Level.ERROR, clusterId, object, reason, message);
    }

    private void tell(Level level, String clusterId, HasMetadata object, String reason, String message) {
        log.atLevel(level).log("cluster {}: {}", clusterId, message);
        if (events != null && object != null) {
            events.warn(clusterId, object, reason, message);
        }
    }

    public void requireOwned(String clusterId) {
        if (!owned.test(clusterId)) {
            throw new NotOwnedException(clusterId);
        }
    }
}
