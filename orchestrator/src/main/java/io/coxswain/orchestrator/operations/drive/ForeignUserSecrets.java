package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Secret already named as a user's ({@code <cluster>-user-<name>}) that Coxswain did not make for that user of that
 * cluster: made by hand, perhaps mounted by an application, or made by Coxswain for another cluster whose names collide
 * (cluster {@code x-user}'s {@code x-user-kafka-tls} is cluster {@code x}'s user {@code kafka-tls}'s name). Writing the
 * user's key or password into it would hand them to whoever reads it, or break the other cluster, so it is left untouched
 * and the user gets no credentials until the name is free; each pass looks again. The operator is told once per change.
 */
final class ForeignUserSecrets {

    private static final Logger log = LoggerFactory.getLogger(ForeignUserSecrets.class);

    /** Per cluster, the names of the Secrets refused, as last told. */
    private final Map<String, Set<String>> told = new ConcurrentHashMap<>();

    /**
     * Why {@code live}, found under user {@code user}'s Secret name, is not Coxswain's to write, and what to do; empty when it is
     * (none there, or the user's as Coxswain labels it). Pure.
     */
    static Optional<String> whyNotTaken(Secret live, ClusterNames names, String user) {
        if (live == null || TlsSecrets.isUserSecretOf(live, names, user)) {
            return Optional.empty();
        }
        String secret = names.namespace() + "/" + live.getMetadata().getName();
        String head = "cluster " + names.clusterId() + ": user " + user + " gets no credentials: Secret " + secret
                + " already exists without the labels Coxswain gives that user's Secret (" + ClusterNames.USER_LABEL + "=" + user + ", "
                + ClusterNames.INSTANCE_LABEL + "=" + names.clusterId() + "), so Coxswain does not write the user's key or password into it";
        return Optional.of(TlsSecrets.keyMaterialOf(live)
                .map(what -> head + ": it holds " + what + ". Do not delete it; delete user " + user + " (DeleteUser) and create it under"
                        + " another name, whose Secret does not collide")
                .orElseGet(() -> head + " (made by hand, and perhaps mounted by an application). Delete or rename that Secret (kubectl -n "
                        + names.namespace() + " delete secret " + live.getMetadata().getName() + ", once nothing uses it); Coxswain makes the"
                        + " user's at the next pass"));
    }

    /** Tells the operator of each Secret refused that the last pass did not refuse, and logs each one no longer refused. */
    void tell(String clusterId, Map<String, String> refused) {
        Set<String> before = told.getOrDefault(clusterId, Set.of());
        refused.forEach((secret, why) -> {
            if (!before.contains(secret)) {
                log.warn(why);
            }
        });
        before.stream().filter(s -> !refused.containsKey(s))
                .forEach(s -> log.info("cluster {}: Secret {} is no longer in the way of a user's Secret", clusterId, s));
        told.put(clusterId, Set.copyOf(refused.keySet()));
    }

    void forget(String clusterId) {
        told.remove(clusterId);
    }
}
