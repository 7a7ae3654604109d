package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The effectful side of a cluster's mirrors: what this executor knows of their source clusters (their state, from the
 * state topic), where the connect pods reach each cluster, and the target's {@link MirrorSecret}, written from the
 * sources' Secrets before the pods that mount it are built and before the connectors that read it are made. The
 * Secret's values are copied from Kubernetes to Kubernetes only: a record names its keys, never what they hold.
 */
final class Mirrors {

    private final KubernetesClient kube;
    private final OperationRecorder recorder;
    private final BiFunction<ClusterState, ClusterNames, String> bootstrap;
    private final String namespaceTemplate;
    private final boolean verifyHostnames;
    private volatile Function<String, Optional<ClusterState>> known = id -> Optional.empty();

    /** @param bootstrap where a cluster's brokers are reached: by the executor, and so by connect pods beside it */
    Mirrors(KubernetesClient kube, OperationRecorder recorder, BiFunction<ClusterState, ClusterNames, String> bootstrap, String namespaceTemplate,
            boolean verifyHostnames) {
        this.kube = kube;
        this.recorder = recorder;
        this.bootstrap = bootstrap;
        this.namespaceTemplate = namespaceTemplate;
        this.verifyHostnames = verifyHostnames;
    }

    /**
     * @param known a cluster id → its latest state, whichever executor owns it (for one deleted, its Deleted phase and
     *              version only); empty for one never seen, or not read yet
     */
    void see(Function<String, Optional<ClusterState>> known) {
        this.known = known;
    }

    /**
     * The mirrors' Secret written as the connect pods that mount it are to find it, before they are built; nothing else.
     *
     * @return what it holds, hashed as the pods are annotated; null once there is none
     */
    String writeSecret(ClusterState target, ClusterNames names, String cause) {
        return ensureSecret(target, names, plan(target, names), cause).hash();
    }

    /** The mirrors' connectors, once their Secret holds what they read; those whose source Secrets are missing run nothing. */
    MirrorConnectors connectors(ClusterState target, ClusterNames names, String cause) {
        MirrorConnectors planned = plan(target, names);
        Written written = ensureSecret(target, names, planned, cause);
        Map<String, String> waiting = new TreeMap<>(written.missing());
        List<String> stale = written.hash() == null ? List.of() : podsWithout(names, written.hash());
        if (!stale.isEmpty()) {
            planned.secretKeys().keySet().forEach(mirror -> waiting.putIfAbsent(mirror, "waiting for connect pods " + String.join(", ", stale)
                    + " to be replaced by pods that mount what Secret " + names.namespace() + "/" + names.mirrorsSecret() + " holds now"
                    + " (a source's or user's certificate copied, replaced or re-issued: Kubernetes rolls them); its connectors are made"
                    + " or changed once they run"));
        }
        return planned.without(waiting);
    }

    private MirrorConnectors plan(ClusterState target, ClusterNames names) {
        return MirrorConnectors.of(target, names, bootstrap.apply(target, names), id -> known.apply(id).map(s -> {
            ClusterNames n = ClusterNames.of(id, namespaceTemplate);
            return new MirrorConnectors.Source(s, n, bootstrap.apply(s, n));
        }), verifyHostnames);
    }

    /**
     * What the mirror Secret holds as written, hashed ({@link MirrorSecret#contentHash}, what the connect pods are annotated
     * with), null once there is none; and by mirror, why a key of it could not be copied.
     */
    record Written(String hash, Map<String, String> missing) {
    }

    /** The connect pods not started with the Secret's content {@code hash}: a connector they start reads other files. */
    private List<String> podsWithout(ClusterNames names, String hash) {
        return kube.pods().inNamespace(names.namespace()).withLabels(names.selector(PlatformComponent.CONNECT.componentName())).list()
                .getItems().stream().filter(p -> p.getMetadata().getAnnotations() == null
                        || !hash.equals(p.getMetadata().getAnnotations().get(MirrorSecret.CONTENT_ANNOTATION)))
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    /**
     * Writes the target's mirror Secret with every key its mirrors read (removes it once the cluster has no mirror).
     *
     * @return what it holds, and what could not be copied
     */
    private Written ensureSecret(ClusterState target, ClusterNames names, MirrorConnectors planned, String cause) {
        String cluster = target.getClusterId();
        Secret live = kube.secrets().inNamespace(names.namespace()).withName(names.mirrorsSecret()).get();
        if (target.getSpec().getMirrors().isEmpty()) {
            if (live != null) {
                recorder.clusterAction(cluster, ResourceAction.DELETE, UserSync.SECRET_KIND, names.namespace(), names.mirrorsSecret(),
                        "the cluster has no mirror left", cause, null);
                kube.resource(live).delete();
            }
            return new Written(null, Map.of());
        }
        Map<String, String> data = new TreeMap<>();
        Map<String, String> missing = new TreeMap<>();
        Map<String, Secret> read = new TreeMap<>();
        planned.secretKeys().forEach((mirror, keys) -> keys.forEach((key, from) -> {
            Secret s = read.computeIfAbsent(from.namespace() + "/" + from.secret(),
                    k -> kube.secrets().inNamespace(from.namespace()).withName(from.secret()).get());
            String value = s == null || s.getData() == null ? null : s.getData().get(from.key());
            if (value == null) {
                missing.putIfAbsent(mirror, "Secret " + from.namespace() + "/" + from.secret() + " has no " + from.key() + " yet (Coxswain"
                        + " makes it with the cluster or the user it belongs to); the mirror starts once it has");
            } else {
                data.put(key, value);
            }
        }));
        Map<String, String> have = live == null || live.getData() == null ? Map.of() : live.getData();
        // a mirror whose source is not known here (yet) keeps what was copied for it, as its connectors are left alone
        have.forEach((key, value) -> {
            if (planned.keptKeys().stream().anyMatch(mirror -> MirrorSecret.keysOf(mirror).contains(key))
                    || (!planned.keptKeys().isEmpty() && MirrorSecret.TARGET_KEYS.contains(key))) {
                data.putIfAbsent(key, value);
            }
        });
        if (live == null || !data.equals(have)) { // made even empty: the connect pods wait for it, a runnable mirror or not
            Secret wanted = new SecretBuilder().withNewMetadata().withName(names.mirrorsSecret()).withNamespace(names.namespace())
                    .withLabels(names.labels(MirrorSecret.COMPONENT)).endMetadata().withData(data).build();
            String keys = String.join(", ", data.keySet());
            recorder.clusterAction(cluster, live == null ? ResourceAction.CREATE : ResourceAction.UPDATE, UserSync.SECRET_KIND,
                    names.namespace(), names.mirrorsSecret(), "SetMirror: the certificates the mirrors present and trust, copied from the"
                            + " clusters' Secrets", cause, data.isEmpty() ? "no key yet" : "keys " + keys);
            if (live == null) {
                kube.resource(wanted).create();
            } else {
                kube.resource(wanted).update();
            }
        }
        return new Written(MirrorSecret.contentHash(data), missing); // missing: reported with the connectors, and logged when that report changes
    }
}
