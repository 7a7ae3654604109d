package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.DeferredOperation;
import io.coxswain.commands.shape.MaintenanceWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back the operations that restart pods or move data while a cluster's maintenance windows
 * are closed, and records each one it holds back once (per operation, cause and windows), so
 * {@code status.deferred} says what waits and until when. An operation already running is never
 * stopped by a window closing: a roll half done is worse than one that ends late. Growing volumes
 * is never held back: it restarts nothing, moves nothing, and a full disk does not wait.
 */
final class MaintenanceGate {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceGate.class);

    private final Clock clock;
    private final OperationRecorder recorder;
    /** Per cluster, what was last recorded as deferred: recorded again only when it changes. */
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    MaintenanceGate(Clock clock, OperationRecorder recorder) {
        this.clock = clock;
        this.recorder = recorder;
    }

    /** Whether an operation of {@code type} may start now; when not, it is recorded as deferred (once). */
    boolean mayStart(ClusterState state, String type, String cause) {
        List<String> windows = state.getSpec().getMaintenanceWindows();
        Instant now = clock.instant();
        if (RunningOperation.EXPAND_STORAGE.equals(type) || MaintenanceWindow.open(windows, now)) {
            recorded.remove(state.getClusterId());
            return true;
        }
        Optional<Instant> opening = MaintenanceWindow.nextOpening(windows, now);
        if (opening.isEmpty()) {
            // none of them reads as a window (DECIDE refuses such, but an older form could be in the log): never hold forever
            log.warn("cluster {}: none of the maintenance windows {} reads as a window; {} starts now. Send SetMaintenanceWindows with"
                    + " windows of the form {}", state.getClusterId(), windows, type, MaintenanceWindow.FORM);
            return true;
        }
        Instant until = opening.get();
        String what = type + "/" + cause + "/" + windows;
        boolean logged = state.getStatus().getDeferred() != null && type.equals(state.getStatus().getDeferred().getOperation())
                && until.equals(state.getStatus().getDeferred().getUntil());
        if (!what.equals(recorded.put(state.getClusterId(), what)) && !logged) {
            recorder.deferred(state.getClusterId(), type, cause, until, windows);
        }
        return false;
    }

    /**
     * Nothing calls for an operation now: an operation the log still shows held back (its change
     * undone meanwhile, say) is recorded as waiting no more, once, so {@code status.deferred} does not
     * announce a roll that will never come. Not while a pod is missing or not Ready: a scale-out is
     * only called for with every pod up, so a pod restarting on its own would otherwise make a deferred
     * scale-out flap between "waits no more" and "held back" in the log.
     */
    void nothingWaits(ClusterState state, ClusterPods pods) {
        if (pods.firstUnavailable().isPresent()) {
            return;
        }
        DeferredOperation shown = state.getStatus().getDeferred();
        if (shown != null && !"none".equals(recorded.put(state.getClusterId(), "none"))) {
            recorder.noLongerDeferred(state.getClusterId(), shown.getOperation(), shown.getCauseCommandId());
        } else if (shown == null) {
            recorded.remove(state.getClusterId());
        }
    }
}
