package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.quota.ClientQuotaAlteration;

/**
 * The state's users applied to the cluster, level-triggered: each user's certificate Secret
 * ({@code <cluster>-user-<name>}: {@code user.crt}, {@code user.key}, {@code ca.crt}) issued by the
 * cluster CA and re-issued when missing, foreign, issued to another name or near its expiry (a Secret of that name that Coxswain did
 * not make for the user is never written: {@link ForeignUserSecrets}); its ACLs
 * brought to the state's (createAcls / deleteAcls against describeAcls of its principal), and its
 * quotas (alterClientQuotas against describeClientQuotas). A user gone from the state loses its ACLs
 * and quotas, then its Secret.
 *
 * <p>Coxswain deletes only what it manages: the users are those of the state and those whose Secret
 * (labelled with the user's name) it finds, so a restarted executor still removes a user deleted while
 * it was away; ACLs of any other principal are never touched. Every action is recorded with its reason
 * before it is taken; key material goes into the Secret only, never into a record or a log line.
 */
final class UserSync {

    static final String SECRET_KIND = "Secret";
    static final String ACL_KIND = "KafkaAcl";

    /**
     * What {@link #ensureSecrets} found and wrote.
     *
     * @param gone the Secrets of users the state no longer has, by user name: to be removed once their ACLs are
     * @param passwords each SCRAM user of the state → the password its Secret now holds
     */
    record Secrets(Map<String, Secret> gone, Map<String, ScramPasswords.Plan> passwords) {
    }

    private final OperationRecorder recorder;
    private final Clock clock;
    private final ScramCredentials scram;
    private final ForeignUserSecrets foreign = new ForeignUserSecrets();

    UserSync(OperationRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
        this.scram = new ScramCredentials(recorder);
    }

    void sync(ClusterState state, ClusterNames names, String cause, KubernetesClient kube, Admin admin, ClusterAccess access, Duration timeout) {
        if (!UserShape.namesClients(state.getSpec().getClientAuthentication())) {
            return; // DECIDE takes no user on such a cluster, so there is nothing of ours to find either
        }
        String cluster = state.getClusterId();
        Secrets secrets = ensureSecrets(state, names, cause, kube, access);
        Map<String, Secret> gone = secrets.gone();
        if (state.getUsers().isEmpty() && gone.isEmpty()) {
            // nothing of ours on the cluster (a deleted user's Secret goes last): no Admin call, and none to a cluster still
            // rolling to OPTIONAL, whose nodes have no authorizer to ask yet
            return;
        }
        Map<String, List<AclBinding>> acls = liveAcls(admin, timeout);
        Map<String, Map<String, Double>> quotas = ClientQuotas.live(admin, timeout);
        for (Map.Entry<String, UserSpec> user : state.getUsers().entrySet()) {
            UserAcls.Diff diff = UserAcls.diff(UserAcls.desired(user.getKey(), user.getValue()),
                    acls.getOrDefault(UserAcls.principal(user.getKey()), List.of()));
            apply(cluster, user.getKey(), diff, "the state's ACLs of user " + user.getKey(), cause, admin, timeout);
            applyQuotas(cluster, user.getKey(), ClientQuotas.ops(ClientQuotas.desired(user.getValue()), quotas.getOrDefault(user.getKey(), Map.of())),
                    "the state's quotas of user " + user.getKey(), cause, admin, timeout);
        }
        scram.sync(cluster, names, secrets.passwords(), gone.keySet(), cause, admin, kube, timeout);
        // ACLs, quotas and credentials first: a Secret left behind by a crash in between is how the next pass still knows the user was Coxswain's
        for (Map.Entry<String, Secret> user : gone.entrySet()) {
            String why = "DeleteUser: the state no longer has user " + user.getKey();
            List<AclBinding> left = acls.getOrDefault(UserAcls.principal(user.getKey()), List.of());
            apply(cluster, user.getKey(), new UserAcls.Diff(List.of(), left), why, cause, admin, timeout);
            applyQuotas(cluster, user.getKey(), ClientQuotas.ops(Map.of(), quotas.getOrDefault(user.getKey(), Map.of())), why, cause, admin, timeout);
            removeSecret(cluster, names, user.getKey(), user.getValue(), cause, kube);
        }
    }

    /** Gives each user of the state its Secret as it should be: a certificate, or a SCRAM user's password. */
    Secrets ensureSecrets(ClusterState state, ClusterNames names, String cause, KubernetesClient kube, ClusterAccess access) {
        Map<String, Secret> secrets = userSecrets(kube, names);
        Map<String, ScramPasswords.Plan> passwords = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        for (Map.Entry<String, UserSpec> entry : state.getUsers().entrySet()) {
            String user = entry.getKey();
            Secret secret = secrets.remove(user);
            if (secret == null) {
                // one of that name without this user's labels is not ours: left as it is, the user waits for the name to be free
                Secret other = kube.secrets().inNamespace(names.namespace()).withName(names.userSecret(user)).get();
                Optional<String> notTaken = ForeignUserSecrets.whyNotTaken(other, names, user);
                if (notTaken.isPresent()) {
                    refused.put(names.userSecret(user), notTaken.get());
                    continue;
                }
            }
            if (UserShape.isScram(entry.getValue().getAuthentication())) {
                ScramPasswords.Plan plan = ScramPasswords.plan(user, entry.getValue(), secret, cause);
                passwords.put(user, plan);
                write(state.getClusterId(), names, user, secret, TlsSecrets.scramUser(names, user, access.caCertificate(), plan.password(),
                        plan.annotations()), "CreateUser: the state has SCRAM-SHA-512 user " + user + "; its password and sasl.jaas.config line",
                        plan.why(), plan.cause(), kube, access);
            } else {
                ensureSecret(state.getClusterId(), names, user, secret, cause, kube, access);
            }
        }
        foreign.tell(state.getClusterId(), refused);
        return new Secrets(secrets, passwords);
    }

    void forget(String clusterId) {
        foreign.forget(clusterId);
    }

    /**
     * Issues the Secret of each of {@code users} the state has and that has none yet: what a pod about
     * to be built mounts. One read per user; the rest of a user's upkeep (re-issue, trust bundle) is
     * {@link #ensureSecrets}'s.
     */
    void issueMissing(ClusterState state, ClusterNames names, Collection<String> users, String cause, KubernetesClient kube, ClusterAccess access) {
        for (String user : users) {
            if (state.getUsers().containsKey(user)
                    && kube.secrets().inNamespace(names.namespace()).withName(names.userSecret(user)).get() == null) {
                ensureSecret(state.getClusterId(), names, user, null, cause, kube, access);
            }
        }
    }

    void removeSecret(String cluster, ClusterNames names, String user, Secret secret, String cause, KubernetesClient kube) {
        recorder.clusterAction(cluster, ResourceAction.DELETE, SECRET_KIND, names.namespace(), secret.getMetadata().getName(),
                "DeleteUser: the state no longer has user " + user + "; its Secret (certificate or password) goes with it", cause, null);
        kube.resource(secret).delete();
    }

    /** The user Secrets of this cluster, by user name: found by their labels, whatever the state says. */
    private static Map<String, Secret> userSecrets(KubernetesClient kube, ClusterNames names) {
        Map<String, Secret> byUser = new TreeMap<>();
        for (Secret s : kube.secrets().inNamespace(names.namespace()).withLabels(names.labels(ClusterNames.USER_COMPONENT)).list().getItems()) {
            String user = s.getMetadata().getLabels().get(ClusterNames.USER_LABEL);
            if (user != null && TlsSecrets.isUserSecretOf(s, names, user)) {
                byUser.put(user, s);
            }
        }
        return byUser;
    }

    /** Every ACL binding of the cluster, by principal: one call for all users. */
    private static Map<String, List<AclBinding>> liveAcls(Admin admin, Duration timeout) {
        Collection<AclBinding> all = AdminCalls.await("describeAcls", admin.describeAcls(AclBindingFilter.ANY).values(), timeout);
        return all.stream().collect(Collectors.groupingBy(b -> b.entry().principal()));
    }

    private void ensureSecret(String cluster, ClusterNames names, String user, Secret live, String cause, KubernetesClient kube, ClusterAccess access) {
        Instant now = clock.instant();
        Optional<KeyMaterial> kept = TlsSecrets.clientMaterial(live);
        Optional<String> reissue = access.whyReissue(kept, user, now);
        KeyMaterial material = reissue.isPresent() ? access.issueClient(user, now) : kept.orElseThrow();
        write(cluster, names, user, live, TlsSecrets.client(names, user, access.caCertificate(), material), "CreateUser: the state has user " + user
                + "; issues its client certificate (CN=" + user + ", O=coxswain) signed by the cluster CA",
                reissue.map(w -> "re-issues the client certificate of user " + user + " (" + w + ")").orElse(null), cause, kube, access);
    }

    /**
     * Writes a user's Secret unless it already is {@code wanted}.
     *
     * @param created why, when there is none yet
     * @param changed why, when its content changes for a reason of its own; null: a trust bundle renewed, or a Secret edited by hand
     */
    private void write(String cluster, ClusterNames names, String user, Secret live, Secret wanted, String created, String changed, String cause,
                       KubernetesClient kube, ClusterAccess access) {
        Map<String, String> labels = live == null || live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        if (live != null && Objects.equals(live.getData(), wanted.getData()) && labels.entrySet().containsAll(wanted.getMetadata().getLabels().entrySet())) {
            return;
        }
        String name = wanted.getMetadata().getName();
        if (live == null) {
            recorder.clusterAction(cluster, ResourceAction.CREATE, SECRET_KIND, names.namespace(), name, created, cause, null);
            kube.resource(wanted).create();
            return;
        }
        String trust = TlsSecrets.decoded(live).get(TlsSecrets.CA_CERT);
        String why = changed != null ? changed
                : !access.caCertificate().equals(trust) ? "ca.crt of user " + user + " takes the cluster's trust bundle as it is now (a CA renewal)"
                : "puts back user " + user + "'s Secret as Coxswain writes it";
        recorder.clusterAction(cluster, ResourceAction.UPDATE, SECRET_KIND, names.namespace(), name, why, cause, null);
        wanted.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        kube.resource(wanted).update();
    }

    private void applyQuotas(String cluster, String user, List<ClientQuotaAlteration.Op> ops, String why, String cause, Admin admin, Duration timeout) {
        if (ops.isEmpty()) {
            return;
        }
        recorder.clusterAction(cluster, ResourceAction.APPLY, ClientQuotas.KIND, null, UserAcls.principal(user), why + ": "
                + ClientQuotas.describe(ops), cause, null);
        AdminCalls.await("alterClientQuotas(" + UserAcls.principal(user) + ")", admin.alterClientQuotas(List.of(ClientQuotas.alteration(user, ops))).all(),
                timeout);
    }

    private void apply(String cluster, String user, UserAcls.Diff diff, String why, String cause, Admin admin, Duration timeout) {
        if (!diff.delete().isEmpty()) {
            recorder.clusterAction(cluster, ResourceAction.DELETE, ACL_KIND, null, UserAcls.principal(user), why + ": removes "
                    + diff.delete().size() + " ACL(s)", cause, UserAcls.describe(diff.delete()));
            List<AclBindingFilter> filters = new ArrayList<>();
            diff.delete().forEach(b -> filters.add(b.toFilter()));
            AdminCalls.await("deleteAcls(" + UserAcls.principal(user) + ")", admin.deleteAcls(filters).all(), timeout);
        }
        if (!diff.create().isEmpty()) {
            recorder.clusterAction(cluster, ResourceAction.CREATE, ACL_KIND, null, UserAcls.principal(user), why + ": adds "
                    + diff.create().size() + " ACL(s)", cause, UserAcls.describe(diff.create()));
            AdminCalls.await("createAcls(" + UserAcls.principal(user) + ")", admin.createAcls(diff.create()).all(), timeout);
        }
    }
}
