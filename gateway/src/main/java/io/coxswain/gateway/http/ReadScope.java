package io.coxswain.gateway.http;

import io.coxswain.gateway.auth.AccessPolicy;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a caller may read, from the roles file's {@code reads} line (see {@link AccessPolicy}). Every
 * read route asks here before it answers; with {@code reads all} (the default) every answer is yes.
 * A refusal is a 403 naming the field at fault, like a refused command.
 */
final class ReadScope {

    private final AccessPolicy access;

    ReadScope(AccessPolicy access) {
        this.access = access;
    }

    /** Wraps the handler of a {@code /v1/clusters/:id...} route: it runs only when the caller may read cluster {@code id}. */
    Handler<RoutingContext> cluster(Handler<RoutingContext> handler) {
        return ctx -> {
            if (allows(ctx, ctx.pathParam("id"))) {
                handler.handle(ctx);
            }
        };
    }

    /** True when the caller may read {@code clusterId}; otherwise replies 403 and returns false. */
    boolean allows(RoutingContext ctx, String clusterId) {
        return reply(ctx, access.checkRead(principal(ctx), clusterId));
    }

    /**
     * For a query over the log that may name a cluster in {@code field}: true when the caller may read
     * that cluster, or, naming none, every cluster; otherwise replies 403 and returns false.
     */
    boolean allowsQuery(RoutingContext ctx, String clusterOrNull, String field) {
        return clusterOrNull != null ? allows(ctx, clusterOrNull) : reply(ctx, access.checkReadAll(principal(ctx), field));
    }

    /** The clusters the caller may see in a list. */
    Predicate<String> visible(RoutingContext ctx) {
        String principal = principal(ctx);
        return access.readsByRole() ? id -> access.mayRead(principal, id) : id -> true;
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
