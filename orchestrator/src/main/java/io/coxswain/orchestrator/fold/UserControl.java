package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.AclRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.DeleteUser;
import io.coxswain.avro.command.RotateUserPassword;
import io.coxswain.avro.command.UpdateUserAcls;
import io.coxswain.avro.command.UpdateUserQuotas;
import io.coxswain.avro.command.UserQuotas;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.AclSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.PasswordRotation;
import io.coxswain.avro.state.QuotaSpec;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DECIDE and FOLD for application identities: {@code users}, one entry per user, each with its
 * ACLs. A user is a principal {@code User:<name>} that the cluster's brokers map from a client
 * certificate, so users exist only on clusters that require client certificates
 * (clientAuthentication TLS), and never under a name Coxswain's own principals use.
 */
final class UserControl {

    private static final String OPERATOR_PRINCIPAL = UserShape.OPERATOR_PRINCIPAL;
    /**
     * The middle of the node pods' names ({@code <cluster>-controller-N}, {@code <cluster>-broker-N},
     * see ClusterNames.pod): their certificates' CNs are super users, so no user may take one.
     */
    private static final List<String> NODE_NAME_PARTS = List.of("-controller-", "-broker-");

    private UserControl() {
    }

    static boolean handles(Object p) {
        return p instanceof CreateUser || p instanceof UpdateUserAcls || p instanceof UpdateUserQuotas || p instanceof DeleteUser
                || p instanceof RotateUserPassword;
    }

    /** DECIDE for a command whose payload {@link #handles}; the shape (name, rules) is already checked. */
    static Optional<Rejection> check(ClusterState state, Command c) {
        Object p = c.getPayload();
        String id = state.getClusterId();
        Map<String, UserSpec> users = state.getUsers();
        if (p instanceof DeleteUser d) {
            if (!users.containsKey(d.getName())) {
                return notFound(state, d.getName());
            }
            // on TLS only: on an OPTIONAL cluster the component connects as its user only once the cluster moves to TLS
            if (UserShape.authenticatesClients(state.getSpec().getClientAuthentication()) && state.getSpec().getComponents().containsKey(d.getName())) {
                return reject(RejectionCode.INVALID_COMMAND, "user '" + d.getName() + "' of cluster '" + id + "' is the identity "
                        + d.getName() + " connects with; deleting it would cut the component off the cluster. Remove the component first"
                        + " (RemoveComponent), or change the user's ACLs with UpdateUserAcls");
            }
            return Optional.empty();
        }
        if (p instanceof RotateUserPassword r) {
            return checkRotation(state, r);
        }
        if (!UserShape.namesClients(state.getSpec().getClientAuthentication())) {
            return reject(RejectionCode.NOT_SUPPORTED_ON_CLUSTER, "cluster '" + id + "' does not authenticate clients (clientAuthentication "
                    + state.getSpec().getClientAuthentication() + "): ACLs would not apply, as every client connects unnamed; move it to "
                    + "clientAuthentication OPTIONAL first (ChangeClientAuthentication), where clients may present a certificate and "
                    + "those that do are named, or create a cluster with clientAuthentication TLS");
        }
        if (p instanceof CreateUser create) {
            String name = create.getName();
            if (name.equals(OPERATOR_PRINCIPAL) || NODE_NAME_PARTS.stream().anyMatch(part -> name.startsWith(id + part))) {
                return reject(RejectionCode.INVALID_COMMAND, "user name '" + name + "' is reserved on cluster '" + id + "': Coxswain's own "
                        + "principals (" + OPERATOR_PRINCIPAL + ", and the node pods " + id + "-controller-N and " + id + "-broker-N) "
                        + "are super users; choose another name");
            }
            if (UserShape.isScram(create.getAuthentication()) && PlatformComponent.named(name).isPresent()) {
                return reject(RejectionCode.INVALID_COMMAND, "user '" + name + "' of cluster '" + id + "' is the name platform component " + name
                        + " connects as, with a client certificate: create it with authentication TLS (the default)");
            }
            if (users.containsKey(name)) {
                return reject(RejectionCode.USER_EXISTS, "user '" + name + "' already exists on cluster '" + id
                        + "'; use UpdateUserAcls to change its ACLs");
            }
            Instant retired = state.getRetiredUsers().get(name);
            if (retired != null && c.getIssuedAt().isBefore(retired.plus(UserShape.RETIRED_NAME_HOLD))) {
                return reject(RejectionCode.USER_EXISTS, "user name '" + name + "' is retired on cluster '" + id + "': a user of that name was"
                        + " deleted at " + retired + ", and a certificate issued to it cannot be revoked; it stays valid until it expires, and"
                        + " would act as the new user. Choose another name, or create this one after " + retired.plus(UserShape.RETIRED_NAME_HOLD));
            }
            return Optional.empty();
        }
        if (p instanceof UpdateUserQuotas q) {
            UserSpec current = users.get(q.getName());
            if (current == null) {
                return notFound(state, q.getName());
            }
            if (Objects.equals(current.getQuotas(), quotas(q.getQuotas()))) {
                return reject(RejectionCode.NO_CHANGE, "user '" + q.getName() + "' of cluster '" + id + "' already has "
                        + (current.getQuotas() == null ? "no quotas" : "these quotas"));
            }
            return Optional.empty();
        }
        UpdateUserAcls u = (UpdateUserAcls) p;
        UserSpec current = users.get(u.getName());
        if (current == null) {
            return notFound(state, u.getName());
        }
        if (current.getAcls().equals(specs(u.getAcls()))) {
            return reject(RejectionCode.NO_CHANGE, "user '" + u.getName() + "' of cluster '" + id + "' already has these " + u.getAcls().size() + " ACL(s)");
        }
        return Optional.empty();
    }

    /**
     * FOLD: replaces {@code users}, and {@code retiredUsers} when a user is deleted or its retired name
     * is given out again (never changes them in place, see {@link NextState}).
     */
    static void apply(ClusterState next, Command c) {
        Object p = c.getPayload();
        Map<String, UserSpec> users = new TreeMap<>(next.getUsers());
        if (p instanceof CreateUser create) {
            users.put(create.getName(), new UserSpec(specs(create.getAcls()), quotas(create.getQuotas()), create.getAuthentication(), null,
                    c.getIssuedAt()));
            if (next.getRetiredUsers().containsKey(create.getName())) {
                Map<String, Instant> retired = new TreeMap<>(next.getRetiredUsers());
                retired.remove(create.getName());
                next.setRetiredUsers(retired);
            }
        } else if (p instanceof UpdateUserAcls u) {
            users.put(u.getName(), UserSpec.newBuilder(users.get(u.getName())).setAcls(specs(u.getAcls())).build());
        } else if (p instanceof UpdateUserQuotas q) {
            users.put(q.getName(), UserSpec.newBuilder(users.get(q.getName())).setQuotas(quotas(q.getQuotas())).build());
        } else if (p instanceof RotateUserPassword r) {
            UserSpec current = users.get(r.getName());
            int generation = current.getPasswordRotation() == null ? 1 : current.getPasswordRotation().getGeneration() + 1;
            users.put(r.getName(), UserSpec.newBuilder(current)
                    .setPasswordRotation(new PasswordRotation(generation, c.getCommandId(), c.getIssuedAt(), r.getReason())).build());
        } else {
            String name = ((DeleteUser) p).getName();
            UserSpec deleted = users.remove(name);
            // a certificate cannot be revoked, so its name waits until it expires; a SCRAM credential goes with the user
            if (!UserShape.isScram(deleted.getAuthentication())) {
                Map<String, Instant> retired = new TreeMap<>(next.getRetiredUsers());
                retired.put(name, c.getIssuedAt());
                next.setRetiredUsers(retired);
            }
        }
        next.setUsers(users);
        // the brokers listen for SCRAM clients while there is one to listen for: a change rolls them
        next.getSpec().setScramListener(users.values().stream().anyMatch(user -> UserShape.isScram(user.getAuthentication())));
    }

    /**
     * The rules as the state keeps them: sorted, each with its operations sorted, so the same set of
     * rules in another order is the same state (and an UpdateUserAcls that only reorders is NO_CHANGE).
     */
    static List<AclSpec> specs(List<AclRule> rules) {
        TreeMap<String, AclSpec> sorted = new TreeMap<>();
        for (AclRule r : rules) {
            AclSpec spec = new AclSpec(r.getResourceType().name(), r.getName(), r.getPatternType().name(),
                    new ArrayList<>(new TreeSet<>(r.getOperations())), r.getHost(), r.getPermission().name());
            sorted.put(String.join("\u0000", spec.getResourceType(), spec.getName(), spec.getPatternType(), spec.getHost(),
                    spec.getPermission(), String.join(",", spec.getOperations())), spec);
        }
        return new ArrayList<>(sorted.values());
    }

    /** The quotas as the state keeps them: none at all (null) when no field is set, so the two ways of saying so are one state. */
    static QuotaSpec quotas(UserQuotas q) {
        if (q == null || q.getProducerByteRate() == null && q.getConsumerByteRate() == null && q.getRequestPercentage() == null) {
            return null;
        }
        return new QuotaSpec(q.getProducerByteRate(), q.getConsumerByteRate(), q.getRequestPercentage());
    }

    /**
     * Only a password can be rotated: Kafka cannot revoke a certificate, so a new one would leave the
     * old one valid until it expires, which is not what a team that lost a key asks for.
     */
    private static Optional<Rejection> checkRotation(ClusterState state, RotateUserPassword r) {
        UserSpec user = state.getUsers().get(r.getName());
        if (user == null) {
            return notFound(state, r.getName());
        }
        if (!UserShape.isScram(user.getAuthentication())) {
            String id = state.getClusterId();
            return reject(RejectionCode.INVALID_COMMAND, "user '" + r.getName() + "' of cluster '" + id + "' authenticates with a client "
                    + "certificate, not a password: Kafka cannot revoke a certificate, so a new one would leave the old one valid until it "
                    + "expires. To shut a leaked certificate out, replace the cluster CA (ReplaceClusterCa), or delete the user and create "
                    + "one of another name with authentication SCRAM-SHA-512 or TLS");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> notFound(ClusterState state, String name) {
        Map<String, UserSpec> users = state.getUsers();
        return reject(RejectionCode.USER_NOT_FOUND, "user '" + name + "' does not exist on cluster '" + state.getClusterId() + "'"
                + (users.isEmpty() ? "; it has no users" : "; its users are " + String.join(", ", users.keySet())));
    }

    private static Optional<Rejection> reject(RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
