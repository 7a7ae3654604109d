package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.commands.access.AccessNames;
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
 * Keeps out of platform components' pods the Secrets that are not theirs to read. A component's {@code secrets} are the
 * user's, mounted for config providers, and code a connector brings runs in those pods. Two rules:
 *
 * <ul>
 *   <li>Keys Coxswain made are never mounted, whatever cluster they belong to: a user's credentials (certificate key,
 *       SCRAM password) would get round that user's ACLs, and a CA's key signs any identity. The command's shape check
 *       refuses the names it can know (any cluster's key Secrets, this cluster's users'); another cluster's
 *       {@code <other>-user-<name>} is only told from a Secret of the user's own by reading it: every one carrying
 *       Coxswain's labels is withheld, whatever its name ({@link TlsSecrets#keyMaterialOf}), and so is one not made yet
 *       whose name Coxswain may still give a user's Secret (a pod that waited for it would mount it the moment Coxswain
 *       made it).
 *   <li>Where the installation's namespace template puts several clusters in one namespace, any other Secret there may
 *       be another cluster's team's (the database password its connectors use), and whoever may SetComponent on this
 *       cluster must not read it through its pods. There a Secret is mounted only if it says this cluster may mount it,
 *       with a label Coxswain never writes ({@link ClusterNames#mountableByLabel()}); one not made yet is not waited
 *       for either (whoever made it first would be mounted). In a namespace of its own a cluster's Secrets are its own,
 *       and are mounted as they are.
 * </ul>
 *
 * Each pass reads the Secrets the components name (those only, by name: a handful of reads). What is withheld is the same
 * from pass to pass while the Secrets stay as they are, so the pod template is too and no pod rolls for it; a change (a
 * Secret made, labelled, replaced) is seen at the next pass. The operator is told once per change: a WARN naming cluster,
 * component, Secret, why and what to do, and a Warning Event on the component's StatefulSet.
 */
final class ComponentSecretGuard {

    private static final Logger log = LoggerFactory.getLogger(ComponentSecretGuard.class);
    /** The Event's reason, as {@code kubectl describe statefulset} shows it. */
    static final String EVENT_REASON = "SecretNotMounted";

    /** Why a Secret is withheld, and what the operator can do about it. */
    record Withheld(String why, String todo) {
    }

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    private final boolean sharedNamespaces;
    /** Per cluster, per component, the Secrets withheld and why, as last told: told again only when that changes. */
    private final Map<String, Map<String, Map<String, Withheld>>> told = new ConcurrentHashMap<>();

    /** @param sharedNamespaces whether the installation's namespace template puts several clusters in one namespace */
    ComponentSecretGuard(KubeObjects kube, ActionRecorder recorder, boolean sharedNamespaces) {
        this.kube = kube;
        this.recorder = recorder;
        this.sharedNamespaces = sharedNamespaces;
    }

    /**
     * Why the Secret {@code name}, as read ({@code null}: there is none), must not be mounted into the pods of a component
     * of the cluster {@code names}; empty when it may be. Pure.
     *
     * @param shared whether the cluster's namespace is shared with other clusters (see {@link DesiredCluster#ownsNamespace})
     */
    static Optional<Withheld> whyWithheld(String name, Secret secret, ClusterNames names, boolean shared) {
        String ns = names.namespace();
        String optIn = names.mountableByLabel() + "=" + ClusterNames.MOUNTABLE_BY_VALUE;
        String create = "kubectl -n " + ns + " create secret generic " + name + " ...";
        if (secret == null) {
            if (name.contains(AccessNames.USER_SECRET_INFIX)) {
                return Optional.of(new Withheld("it does not exist yet, and Coxswain gives a user's Secret a name of that shape"
                        + " (<cluster>-user-<name>): a pod waiting for it would mount it the moment Coxswain made it",
                        "Create it first without Coxswain's labels (" + create + (shared ? "; then kubectl -n " + ns + " label secret " + name
                        + " " + optIn : "") + "), or rename it (SetComponent's secrets); it is mounted at the first pass after it exists"));
            }
            return shared ? Optional.of(new Withheld("it does not exist yet, and namespace " + ns + " is shared by several clusters: a pod"
                    + " waiting for it would mount whatever Secret of that name anyone made there first",
                    "Create it, then label it for cluster " + names.clusterId() + " (" + create + "; kubectl -n " + ns + " label secret " + name
                    + " " + optIn + "); it is mounted at the next pass")) : Optional.empty();
        }
        Optional<String> keys = TlsSecrets.keyMaterialOf(secret);
        if (keys.isPresent()) {
            return Optional.of(new Withheld("it holds " + keys.get() + ", which Coxswain made (it carries Coxswain's labels)",
                    "No component may read keys Coxswain made (a user's credentials would get round that user's ACLs): name a Secret of"
                    + " your own (" + create + ") in SetComponent's secrets instead"));
        }
        Map<String, String> labels = secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
        if (shared && !ClusterNames.MOUNTABLE_BY_VALUE.equals(labels.get(names.mountableByLabel()))) {
            return Optional.of(new Withheld("namespace " + ns + " is shared by several clusters, and the Secret does not say that cluster "
                    + names.clusterId() + " may mount it (no label " + optIn + "): it may be another cluster's team's",
                    "If it is meant for cluster " + names.clusterId() + "'s components: kubectl label secret " + name + " -n " + ns + " " + optIn
                    + "; it is mounted at the next pass"));
        }
        return Optional.empty();
    }

    /**
     * Per component of the spec, the Secrets it names that must not be mounted, and why
     * (see {@link DesiredCluster.Inputs#withheldSecrets()}: the names only).
     */
    Map<String, Map<String, Withheld>> withheld(ClusterSpec spec, ClusterNames names) {
        Map<String, Map<String, Withheld>> withheld = new TreeMap<>();
        for (PlatformComponent component : DesiredCluster.platformComponents(spec)) {
            PlatformComponentSpec componentSpec = spec.getComponents().get(component.componentName());
            Map<String, Withheld> why = new TreeMap<>();
            for (String name : componentSpec.getSecrets()) {
                whyWithheld(name, kube.secret(names.namespace(), name), names, sharedNamespaces).ifPresent(w -> why.put(name, w));
            }
            if (!why.isEmpty()) {
                withheld.put(component.componentName(), why);
            }
        }
        return withheld;
    }

    /** The names alone, as the model takes them. */
    static Map<String, Set<String>> namesOf(Map<String, Map<String, Withheld>> withheld) {
        Map<String, Set<String>> names = new TreeMap<>();
        withheld.forEach((component, why) -> names.put(component, Set.copyOf(why.keySet())));
        return names;
    }

    /**
     * Tells the operator of what this pass withholds that the last did not (after the objects are applied: the Event
     * goes on the StatefulSet as it now is), and logs what is mounted again.
     */
    void tell(ReconcilePass pass, ClusterNames names, Map<String, Map<String, Withheld>> withheld) {
        Map<String, Map<String, Withheld>> before = told.getOrDefault(pass.clusterId(), Map.of());
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
                log.info("cluster {}: component {} mounts Secret {}/{} now (or no longer names it): nothing withholds it any more",
                        pass.clusterId(), component, names.namespace(), secret);
            }
        }));
        told.put(pass.clusterId(), withheld);
    }

    void forget(String clusterId) {
        told.remove(clusterId);
    }

    private void warn(ReconcilePass pass, ClusterNames names, String component, String secret, Withheld withheld) {
        String statefulSet = names.component(PlatformComponent.named(component).orElseThrow());
        HasMetadata on = kube.statefulSet(names.namespace(), statefulSet);
        // the state keeps no command id per component: the pass's cause is the SetComponent when naming the Secret is the change
        String message = "component " + component + " names Secret " + secret + " in its secrets (state v" + pass.version() + ", latest command "
                + pass.cause() + "), which is not mounted into its pods: " + withheld.why() + ". " + withheld.todo();
        recorder.warn(pass.clusterId(), on, EVENT_REASON, message);
    }
}
