package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.orchestrator.operations.connect.ConnectRestException;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACT for connectors: each call to Connect recorded, then made, and Connect's answer read. The answers that call for
 * other calls make them, each recorded before it is made with the command behind it, so the audit trail says what was
 * done on Connect: a creation Connect answers 409 (the connector is there: brought to its state, then given the
 * state's configuration) or "Unrecognized field initial_state" (workers older than their version says: created RUNNING,
 * then paused or stopped). What must not be repeated goes to the cluster's {@link ConnectorLedger}.
 */
final class ConnectorCalls {

    private static final Logger log = LoggerFactory.getLogger(ConnectorCalls.class);
    private static final String CONNECT = PlatformComponent.CONNECT.componentName();

    enum Outcome { DONE, FAILED, NO_ANSWER }

    /**
     * One pass's calls to one cluster's Connect.
     *
     * @param workers the connect workers as a refusal depends on them ({@link ConnectorLedger#workers})
     * @param cause   the command the pass acts for, recorded with each action
     * @param causes  by connector, the command recorded instead: a mirror's connectors are the SetMirror's doing
     */
    record Pass(ClusterState state, ConnectorLedger ledger, ConnectRest rest, List<Object> workers, String cause, Map<String, String> causes) {

        String cluster() {
            return state.getClusterId();
        }

        /** Why the action is made, as the plan says it, but of a mirror's connector: its SetMirror (or RestartMirror) asked for it. */
        String reasonOf(ConnectorAction action) {
            return causes.containsKey(action.name()) ? action.reason().replaceFirst("^SetConnector: ", "SetMirror: ")
                    .replaceFirst("^RestartConnector ", "RestartMirror ") : action.reason();
        }

        /** The command an action on the connector is recorded for: a mirror's SetMirror, else the pass's. */
        String causeOf(String connector) {
            return causes.getOrDefault(connector, cause);
        }

        /** The command an action is recorded for: a restart of a mirror's connector is its RestartMirror's doing, not its SetMirror's. */
        String causeOf(ConnectorAction action) {
            ConnectorSpec spec = spec(action.name());
            return action.kind() == ConnectorAction.Kind.RESTART && causes.containsKey(action.name()) ? spec.getRestart().getCommandId()
                    : causeOf(action.name());
        }

        /** The command type that asks for the connector's restart: RestartMirror for a mirror's. */
        String restartType(String connector) {
            return causes.containsKey(connector) ? "RestartMirror" : "RestartConnector";
        }

        ConnectorSpec spec(String connector) {
            return state.getConnectors().get(connector);
        }
    }

    private final OperationRecorder recorder;
    private final Clock clock;

    ConnectorCalls(OperationRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    /** Records, then makes, one call (or what stands for it); a refusal or a failure is remembered in the ledger. */
    Outcome act(Pass p, ConnectorAction action) {
        if (action.kind() == ConnectorAction.Kind.CREATE && action.initialState() != null) {
            Optional<String> unknown = p.ledger().initialStateUnknown(p.workers());
            if (unknown.isPresent()) {
                return notInState(p, action, unknown.get()); // these workers said so already: not asked again what they do not know
            }
        }
        recorder.clusterAction(p.cluster(), action.kind().recorded(), action.resourceKind(), null, action.name(), p.reasonOf(action),
                p.causeOf(action), action.detail());
        ConnectorSpec spec = p.spec(action.name());
        Map<String, String> config = ConnectorLedger.sent(p.state(), action);
        try {
            String said = action.apply(p.rest(), config, spec != null && spec.getRestart() != null && spec.getRestart().getOnlyFailed());
            if (!said.isEmpty()) {
                log.info("cluster {}: connector {}: {} (cause {})", p.cluster(), action.name(), said, p.causeOf(action.name()));
            }
        } catch (ConnectRestException e) {
            return answered(p, action, config, e);
        }
        done(p, action);
        return Outcome.DONE;
    }

    /** Makes the calls in turn, up to the first not made. */
    private Outcome actAll(Pass p, List<ConnectorAction> actions) {
        for (ConnectorAction action : actions) {
            Outcome outcome = act(p, action);
            if (outcome != Outcome.DONE) {
                return outcome;
            }
        }
        return Outcome.DONE;
    }

    private void done(Pass p, ConnectorAction action) {
        ConnectorSpec spec = p.spec(action.name());
        p.ledger().succeeded(action, ConnectorLedger.sent(p.state(), action));
        switch (action.kind()) {
            // no spec: a stopped mirror's connector (ConnectorPlan's stopped)
            case PAUSE, STOP, RESUME -> p.ledger().asked(action.name(), spec == null ? ConnectorPlan.STOPPED : spec.getState());
            case CREATE -> { // created in its state: asked once, as a pause or a stop is, until Connect reports it
                if (action.initialState() != null) {
                    p.ledger().asked(action.name(), action.initialState());
                } else if (p.ledger().initialStateUnknown(p.workers()).isPresent()) {
                    p.ledger().createdRunning(action.name());
                }
            }
            case DELETE -> p.ledger().forgetAsked(action.name());
            default -> {
            }
        }
        if ((action.kind() == ConnectorAction.Kind.RESTART || action.kind() == ConnectorAction.Kind.CREATE) && spec.getRestart() != null) {
            // a creation starts the connector anew: the restart asked for is done
            p.ledger().carriedOut(ConnectorPlan.restartKey(action.name(), spec.getRestart().getCommandId()));
        }
    }

    private Outcome answered(Pass p, ConnectorAction action, Map<String, String> config, ConnectRestException e) {
        String cluster = p.cluster();
        ConnectorSpec spec = p.spec(action.name());
        boolean inState = action.kind() == ConnectorAction.Kind.CREATE && action.initialState() != null;
        if (inState && e.alreadyExists()) {
            return found(p, action);
        }
        if (inState && e.initialStateUnknown()) {
            return notInState(p, action, e.getMessage());
        }
        if (action.kind() == ConnectorAction.Kind.RESTART && e.timedOut()) {
            String id = spec.getRestart().getCommandId();
            String type = p.restartType(action.name());
            log.warn("cluster {}: connector {}: {}; {} {} counts as carried out and is not sent again (Connect carries on"
                    + " with a request it timed out, and a restart sent twice restarts the connector twice): it may not have been made;"
                    + " send {} again if needed (cause {})", cluster, action.name(), e.getMessage(), type, id, type, p.causeOf(action));
            p.ledger().restartTimedOut(action.name(), id, type + " " + id + " timed out: it may not have been made; send " + type
                    + " again if needed");
            done(p, action);
            return e.status() == 0 ? Outcome.NO_ANSWER : Outcome.DONE; // one that did not answer is asked nothing more in this pass
        }
        // an offsets reset that timed out is tried again after the back-off below, like any failed call: made twice, it is
        // harmless (the connector stays STOPPED and its offsets are erased either way)
        if (action.kind() == ConnectorAction.Kind.RESET_OFFSETS && e.resetRefusedForGood()) {
            String id = spec.getOffsetReset().getCommandId();
            log.warn("cluster {}: connector {}: ResetConnectorOffsets {} refused for good: {}; its offsets are as they were, and it may be"
                    + " started again (cause {})", cluster, action.name(), id, e.getMessage(), p.causeOf(action.name()));
            p.ledger().resetRefused(id, e.getMessage());
            return Outcome.DONE; // settled: reported with why, so the connector is not held stopped for a reset that cannot be
        }
        boolean configuration = action.kind() == ConnectorAction.Kind.CREATE || action.kind() == ConnectorAction.Kind.UPDATE;
        if (configuration && e.refused()) {
            log.warn("cluster {}: connector {}: {}; it is not sent again until a SetConnector or a SetComponent connect changes"
                    + " it (cause {})", cluster, action.name(), e.getMessage(), p.causeOf(action.name()));
            p.ledger().refused(action.name(), config, p.workers(), e.getMessage());
            return Outcome.FAILED;
        }
        Duration wait = p.ledger().failed(action, config, clock.instant());
        log.warn("cluster {}: connector {}: {}; {}tried again in {} s at the earliest, if still needed (cause {})", cluster, action.name(),
                e.getMessage(), e.status() == 0 ? "Connect may make it all the same, and the next pass looks before it asks again: "
                        : "", wait.toSeconds(), p.causeOf(action.name()));
        return e.status() == 0 ? Outcome.NO_ANSWER : Outcome.FAILED;
    }

    /** Connect answered the creation 409: the connector is there. What it is decides the calls made instead. */
    private Outcome found(Pass p, ConnectorAction action) {
        LiveConnector there;
        try {
            there = p.rest().connectors().get(action.name());
        } catch (ConnectRestException e) {
            log.warn("cluster {}: connector {}: Connect answered its creation that it has it already, then {}; the next pass reads it"
                    + " and brings it to the state (cause {})", p.cluster(), action.name(), e.getMessage(), p.causeOf(action.name()));
            return e.status() == 0 ? Outcome.NO_ANSWER : Outcome.FAILED;
        }
        if (there == null) {
            log.warn("cluster {}: connector {}: Connect answered its creation that it has it already, then listed it no more (deleted"
                    + " meanwhile); the next pass creates it (cause {})", p.cluster(), action.name(), p.causeOf(action.name()));
            return Outcome.FAILED;
        }
        List<ConnectorAction> instead = ConnectorPlan.found(action.name(), p.spec(action.name()), there);
        log.info("cluster {}: connector {}: Connect had it already when asked to create it (made since this pass looked: by an executor"
                + " that did not record it, or by hand; {} there); {} (cause {})", p.cluster(), action.name(), there.state(),
                instead.isEmpty() ? "it is as the state asks" : "now " + instead.stream().map(a -> a.kind() + " " + a.detail()).toList(),
                p.causeOf(action.name()));
        return actAll(p, instead);
    }

    /**
     * Workers that answered they do not know {@code initial_state}: a connector asked RUNNING is created the older way; one
     * asked PAUSED or STOPPED is not created at all, since created RUNNING it would run (a sink consume, a source produce)
     * until a stop that may fail and back off. It waits, refused with why, until a SetComponent connect names the release
     * the image is built on (before 7.7 it is then created RUNNING and stopped, and the record says so) or the workers change.
     */
    private Outcome notInState(Pass p, ConnectorAction action, String answer) {
        ConnectorSpec spec = p.spec(action.name());
        p.ledger().initialStateUnknown(p.workers(), answer);
        String version = version(p);
        if (ConnectorPlan.RUNNING.equals(spec.getState())) {
            log.warn("cluster {}: connector {}: {}: this Connect does not create connectors in a state (KIP-980: Kafka Connect 3.7,"
                    + " Confluent Platform 7.7, and later), though SetComponent connect names Confluent Platform {}: set that version to"
                    + " the release the connect image is built on. Connectors asked RUNNING are created the older way; those asked"
                    + " PAUSED or STOPPED are not created until then (cause {})", p.cluster(), action.name(), answer, version, p.causeOf(action.name()));
            return createdRunning(p, action);
        }
        String why = "not created: this Connect does not create connectors in a state (KIP-980: Kafka Connect 3.7, Confluent Platform"
                + " 7.7, and later), though SetComponent connect names Confluent Platform " + version + ", and created RUNNING it would"
                + " run before it could be " + spec.getState() + ". Set that version to the release the connect image is built on (before"
                + " 7.7 a connector is created RUNNING, then " + spec.getState() + ", and the record says so), or run a connect image of"
                + " 7.7 or later";
        log.warn("cluster {}: connector {}: {}: {} (cause {})", p.cluster(), action.name(), answer, why, p.causeOf(action.name()));
        p.ledger().refused(action.name(), ConnectorLedger.sent(p.state(), action), p.workers(), why);
        return Outcome.FAILED;
    }

    private Outcome createdRunning(Pass p, ConnectorAction action) {
        return actAll(p, ConnectorPlan.createdRunning(action.name(), p.spec(action.name()), "this Connect answered that it does not"
                + " know initial_state, though SetComponent connect names Confluent Platform " + version(p)));
    }

    private static String version(Pass p) {
        return p.state().getSpec().getComponents().get(CONNECT).getVersion();
    }
}
