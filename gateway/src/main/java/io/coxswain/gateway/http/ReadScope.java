package io.coxswain.gateway.http;

import io.coxswain.gateway.auth.AccessPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a caller may read, from the roles file's {@code reads} line (see {@link AccessPolicy}); with
 * {@code reads all} (the default) every answer is yes. Reads of one cluster by its path are refused
 * by one guard in front of all of them ({@link #guardClusterPaths}); what the path does not name (a
 * command's status, a log query, the list) asks here in its handler. A refusal is a 403 naming the
 * field at fault, like a refused command.
 */
final class ReadScope {

    /**
     * {@code /v1/clusters/{id}} and everything below it, not the list {@code /v1/clusters}. The id is
     * one path segment, as {@code :id} in the routes' own paths, so the guard checks the very id the
     * handler answers for.
     */
    private static final String CLUSTER_PATHS = "/v1/clusters/(?<id>[^/]+)(?:/.*)?";
    /** A refusal by the guard is counted under this route: which route would have answered is not decided yet. */
    private static final String CLUSTER_PATHS_ROUTE = "/v1/clusters/:id*";

    private final AccessPolicy access;
    private final Function<String, Map<String, String>> labelsOf;

    /** @param labelsOf a cluster's labels as the read model has them, empty for one it does not know: a role's selector reads them */
    ReadScope(AccessPolicy access, Function<String, Map<String, String>> labelsOf) {
        this.access = access;
        this.labelsOf = labelsOf;
    }

    /**
     * Registers the guard of every read of {@code /v1/clusters/{id}...}: it runs before the routes
     * registered after it, so a read route added there later is covered without asking for it. It
     * takes GET and HEAD, the methods that read. A POST is left to its route: none exists under this
     * path today (commands go to {@code /v1/commands}), and one that did would be a command, which
     * the command permissions already govern; a role that permits a command on a cluster also covers
     * that cluster for reading, so a read guard would refuse no permitted command, only hide which
     * command permission the caller lacks behind a read refusal.
     */
    void guardClusterPaths(Router router) {
        router.routeWithRegex(CLUSTER_PATHS).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            String id = ctx.pathParam("id");
            Optional<AccessPolicy.Denial> denied = access.checkRead(principal(ctx), id, labelsOf.apply(id));
            if (denied.isEmpty()) {
                ctx.next();
                return;
            }
            ctx.put(HttpApi.ROUTE, CLUSTER_PATHS_ROUTE);
            reply(ctx, denied);
        });
    }

    /** True when the caller may read {@code clusterId}; otherwise replies 403 and returns false. */
    boolean allows(RoutingContext ctx, String clusterId) {
        return reply(ctx, access.checkRead(principal(ctx), clusterId, labelsOf.apply(clusterId)));
    }

    /**
     * For a query over the log that may name a cluster in {@code field}: true when the caller may read
     * that cluster, or, naming none, every cluster; otherwise replies 403 and returns false.
     */
    boolean allowsQuery(RoutingContext ctx, String clusterOrNull, String field) {
        return clusterOrNull != null ? allows(ctx, clusterOrNull) : reply(ctx, access.checkReadAll(principal(ctx), field));
    }

    /** Whether the caller may read every cluster (no 403 is sent either way). */
    boolean readsAll(RoutingContext ctx) {
        return access.checkReadAll(principal(ctx), "cluster").isEmpty();
    }

    /** The clusters the caller may see in a list. */
    Predicate<String> visible(RoutingContext ctx) {
        String principal = principal(ctx);
        return access.readsByRole() ? id -> access.mayRead(principal, id, labelsOf.apply(id)) : id -> true;
    }

    private static String principal(RoutingContext ctx) {
        return ctx.get(HttpApi.PRINCIPAL);
    }

    private static boolean reply(RoutingContext ctx, Optional<AccessPolicy.Denial> denied) {
        if (denied.isEmpty()) {
            return true;
        }
        Replies.error(ctx, 403, denied.get().message(), denied.get().field());
        return false;
    }
}
