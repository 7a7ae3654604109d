package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.BooleanSupplier;

/**
 * Makes one live object match its desired form: creates it when missing, patches the owned fields
 * when they differ, records every action before taking it, and tells drift (someone deleted or
 * edited it) from a change the state asked for, so the history says which it was.
 */
public final class ObjectApplier {

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    private final MatchedVersions matched = new MatchedVersions();
    private final ClaimTemplateChange claims;

    public ObjectApplier(KubeObjects kube, ActionRecorder recorder) {
        this.kube = kube;
        this.recorder = recorder;
        this.claims = new ClaimTemplateChange(kube, recorder);
    }

    /**
     * @param stamped the desired object, {@link ObjectDiff#stamped stamped}
     * @param listed the object as the pass's lists showed it, or null: when it already matches,
     *     nothing is read or written; otherwise the object is read fresh right before deciding, so
     *     drift is judged, and a patch made, on the latest version
     * @param madeBefore whether Coxswain made this very object before (a missing one is then drift, see {@link MadeObjects});
     *     asked only when it is missing
     * @return the live object after the pass
     */
    public <T extends HasMetadata> T apply(ReconcilePass pass, T stamped, T listed, BooleanSupplier madeBefore) {
        if (listed != null && matches(pass, stamped, listed)) {
            return listed;
        }
        T live = kube.get(stamped);
        if (live != null && matched.stillMatches(pass.clusterId(), stamped, live)) {
            return live;
        }
        ObjectDiff.Difference diff = ObjectDiff.compare(stamped, live);
        String name = stamped.getKind() + " " + stamped.getMetadata().getName();
        if (diff.kind() != ObjectDiff.Kind.NONE && ClaimTemplateChange.differs(stamped, live)) {
            return claims.replace(pass, stamped, live, this::patchRecorded); // never an update of volumeClaimTemplates in place
        }
        switch (diff.kind()) {
            case NONE:
                matched.matched(pass.clusterId(), stamped, live);
                return live;
            case MISSING:
                if (claims.awaitingCreate(pass.clusterId(), stamped)) {
                    return claims.createAgain(pass, stamped, null);
                }
                if (madeBefore.getAsBoolean()) {
                    recorder.before(pass.clusterId(), ResourceAction.REPAIR, stamped, name + " was missing (deleted outside Coxswain); re-creating it",
                            pass.cause(), diff.detail());
                } else {
                    recorder.before(pass.clusterId(), ResourceAction.CREATE, stamped, "cluster state v" + pass.version() + " asks for " + name,
                            pass.cause(), null);
                }
                return kube.create(stamped);
            case EDITED:
                recorder.before(pass.clusterId(), ResourceAction.REPAIR, stamped, name + " was edited outside Coxswain; putting back its owned fields",
                        pass.cause(), diff.detail());
                return patch(stamped, live);
            default:
                return patchRecorded(pass, stamped, live);
        }
    }

    public void forget(String clusterId) {
        matched.forget(clusterId);
        claims.forget(clusterId);
    }

    private <T extends HasMetadata> T patchRecorded(ReconcilePass pass, T stamped, T live) {
        recorder.before(pass.clusterId(), ResourceAction.UPDATE, stamped, "cluster state v" + pass.version() + " changes "
                + stamped.getKind() + " " + stamped.getMetadata().getName(), pass.cause(), ObjectDiff.compare(stamped, live).detail());
        return patch(stamped, live);
    }

    private boolean matches(ReconcilePass pass, HasMetadata stamped, HasMetadata listed) {
        if (matched.stillMatches(pass.clusterId(), stamped, listed)) {
            return true;
        }
        if (ObjectDiff.compare(stamped, listed).kind() == ObjectDiff.Kind.NONE) {
            matched.matched(pass.clusterId(), stamped, listed);
            return true;
        }
        return false;
    }

    private <T extends HasMetadata> T patch(T desired, T live) {
        try {
            return kube.jsonPatch(live, ObjectDiff.jsonPatch(desired, live));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // changed since we read it: the next pass reads it again and decides again
                throw new ConflictException(desired, e);
            }
            throw e;
        }
    }

    /** The object changed between read and write; retried by the next pass. */
    public static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConflictException(HasMetadata o, Throwable cause) {
            super(o.getKind() + " " + o.getMetadata().getName() + " changed while being patched; retrying", cause);
        }
    }
}
