package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NOT_SUPPORTED_ON_CLUSTER;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.USER_NOT_FOUND;

import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.UserShape;
import java.util.List;
import java.util.Optional;

/**
 * DECIDE and FOLD for moving a running cluster between clientAuthentication NONE, OPTIONAL and TLS
 * ({@code ChangeClientAuthentication}). One step at a time, because each step is one a platform can
 * take without an outage: at OPTIONAL every client still connects, applications move to their
 * certificates one by one (their ACLs apply as soon as they present one), and only then does TLS
 * turn away the clients without one. The nodes roll to the new setting (it is in their configuration).
 */
final class ClientAuthControl {

    private ClientAuthControl() {
    }

    static boolean handles(Object p) {
        return p instanceof ChangeClientAuthentication;
    }

    /** DECIDE; the value is one of {@link UserShape#CLIENT_AUTHENTICATIONS} (shape). */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String id = state.getClusterId();
        String current = state.getSpec().getClientAuthentication();
        String wanted = ((ChangeClientAuthentication) p).getClientAuthentication();
        if (wanted.equals(current)) {
            return reject(NO_CHANGE, "cluster '" + id + "' already has clientAuthentication " + current);
        }
        List<String> order = UserShape.CLIENT_AUTHENTICATIONS;
        if (Math.abs(order.indexOf(wanted) - order.indexOf(current)) > 1) {
            return reject(NOT_SUPPORTED_ON_CLUSTER, "cluster '" + id + "' cannot go from clientAuthentication " + current + " to " + wanted
                    + " in one step: " + (UserShape.authenticatesClients(wanted)
                    ? "every client without a certificate would be cut off at once. Change it to OPTIONAL first, give each application its "
                    + "user (CreateUser) and move it to that certificate, then change it to TLS"
                    : "change it to OPTIONAL first, then delete its users (DeleteUser), then change it to NONE"));
        }
        if (wanted.equals(order.get(0)) && !state.getUsers().isEmpty()) {
            return reject(NOT_SUPPORTED_ON_CLUSTER, "cluster '" + id + "' still has users " + String.join(", ", state.getUsers().keySet())
                    + ": without client authentication no client is named, so their ACLs would silently stop applying. Delete them first "
                    + "(DeleteUser), then change it to NONE");
        }
        if (UserShape.authenticatesClients(wanted)) {
            List<String> unnamed = state.getSpec().getComponents().keySet().stream().filter(c -> !state.getUsers().containsKey(c)).toList();
            if (!unnamed.isEmpty()) {
                // as SetComponent on a TLS cluster: a component connects as the user of its own name, with the ACLs a person granted it
                return reject(USER_NOT_FOUND, "cluster '" + id + "' cannot require client certificates yet: platform component(s) "
                        + String.join(", ", unnamed) + " would connect as the user(s) of the same name, which do not exist; create them "
                        + "first with the ACLs each needs (CreateUser; the README lists them per component), then send this command again");
            }
        }
        return Decide.busy(state); // the controllers and brokers roll to it: one long operation at a time
    }

    /** FOLD. */
    static void apply(ClusterState next, Object p) {
        next.getSpec().setClientAuthentication(((ChangeClientAuthentication) p).getClientAuthentication());
    }

    private static Optional<Rejection> reject(io.coxswain.avro.event.RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
