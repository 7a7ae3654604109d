package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps keys Coxswain made out of platform components' pods, whichever cluster they belong to. A component's
 * {@code secrets} are the user's, mounted for config providers, and code a connector brings runs in those pods:
 * mounting a user's credentials (certificate key, SCRAM password) would get round that user's ACLs, and a CA's key
 * signs any identity. The command's shape check refuses the names it can know (any cluster's key Secrets, this
 * cluster's users'); in a namespace several clusters share, another cluster's {@code <other>-user-<name>} is only told
 * from a Secret of the user's own by reading it. So each pass reads the Secrets the components name (those only, by
 * name: a handful of reads) and withholds from the pod template every one carrying Coxswain's labels, whatever its
 * name ({@link TlsSecrets#keyMaterialOf}), and every one not made yet whose name Coxswain may still give a user's
 * Secret: a pod that waited for it would mount it the moment Coxswain made it.
 *
 * <p>What is withheld is the same from pass to pass while the Secrets stay as they are, so the pod template is too
 * and no pod rolls for it; a change (a Secret made, relabelled, replaced) is seen at the next pass. The operator is
 * told once per change: a WARN naming cluster, component, Secret, why and what to do, and a Warning Event on the
 * component's StatefulSet.
 */
final class ComponentSecretGuard {

    private static final Logger log = LoggerFactory.getLogger(ComponentSecretGuard.class);
    /** The Event's reason, as {@code kubectl describe statefulset} shows it. */
    static final String EVENT_REASON = "SecretNotMounted";
    /** In every user Secret's name Coxswain makes: {@code <cluster>-user-<name>} ({@link ClusterNames#userSecret}). */
    private static final String USER_SECRET_INFIX = "-user-";

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    /** Per cluster, per component, the Secrets withheld and why, as last told: told again only when that changes. */
    private final Map<String, Map<String, Map<String, String>>> told = new ConcurrentHashMap<>();

    ComponentSecretGuard(KubeObjects kube, ActionRecorder recorder) {
        this.kube = kube;
        this.recorder = recorder;
    }

    /**
     * Why the Secret {@code name}, as read ({@code null}: there is none), must not be mounted into a component's
     * pods; empty when it may be. Pure.
     */
    static Optional<String> whyWithheld(String name, Secret secret) {
        if (secret == null) {
            return name.contains(USER_SECRET_INFIX)
                    ? Optional.of("it does not exist yet, and Coxswain gives a user's Secret a name of that shape (<cluster>-user-<name>): it is"
                    + " mounted once it exists without Coxswain's labels")
                    : Optional.empty();
        }
        return TlsSecrets.keyMaterialOf(secret).map(what -> "it holds " + what + ", which Coxswain made (it carries Coxswain's labels)");
    }

    /**
     * Per component of the spec, the Secrets it names that must not be mounted, and why
     * (see {@link DesiredCluster.Inputs#withheldSecrets()}: the names only).
     */
    Map<String, Map<String, String>> withheld(ClusterSpec spec, ClusterNames names) {
        Map<String, Map<String, String>> withheld = new TreeMap<>();
        for (PlatformComponent component : DesiredCluster.platformComponents(spec)) {
            PlatformComponentSpec componentSpec = spec.getComponents().get(component.componentName());
            Map<String, String> why = new TreeMap<>();
            for (String name : componentSpec.getSecrets()) {
                whyWithheld(name, kube.secret(names.namespace(), name)).ifPresent(w -> why.put(name, w));
            }
            if (!why.isEmpty()) {
                withheld.put(component.componentName(), why);
            }
        }
        return withheld;
    }

    /** The names alone, as the model takes them. */
    static Map<String, Set<String>> namesOf(Map<String, Map<String, String>> withheld) {
        Map<String, Set<String>> names = new TreeMap<>();
        withheld.forEach((component, why) -> names.put(component, Set.copyOf(why.keySet())));
        return names;
    }

    /**
     * Tells the operator of what this pass withholds that the last did not (after the objects are applied: the Event
     * goes on the StatefulSet as it now is), and logs what is mounted again.
     */
    void tell(ReconcilePass pass, ClusterNames names, Map<String, Map<String, String>> withheld) {
        Map<String, Map<String, String>> before = told.getOrDefault(pass.clusterId(), Map.of());
        if (before.equals(withheld)) {
            return;
        }
        withheld.forEach((component, why) -> why.forEach((secret, reason) -> {
            if (!reason.equals(before.getOrDefault(component, Map.of()).get(secret))) {
                warn(pass, names, component, secret, reason);
            }
        }));
        before.forEach((component, why) -> why.keySet().forEach(secret -> {
            if (!withheld.getOrDefault(component, Map.of()).containsKey(secret)) {
                log.info("cluster {}: component {} mounts Secret {}/{} again (or no longer names it): it no longer looks like keys Coxswain made",
                        pass.clusterId(), component, names.namespace(), secret);
            }
        }));
        told.put(pass.clusterId(), withheld);
    }

    void forget(String clusterId) {
        told.remove(clusterId);
    }

    private void warn(ReconcilePass pass, ClusterNames names, String component, String secret, String reason) {
        String statefulSet = names.component(PlatformComponent.named(component).orElseThrow());
        HasMetadata on = kube.statefulSet(names.namespace(), statefulSet);
        String message = "component " + component + " names Secret " + secret + " in its secrets, which is not mounted into its pods: " + reason
                + ". No component may read keys Coxswain made (a user's credentials would get round that user's ACLs). Name a Secret of"
                + " your own (kubectl -n " + names.namespace() + " create secret generic ...) in SetComponent's secrets instead";
        recorder.warn(pass.clusterId(), on, EVENT_REASON, message);
    }
}
