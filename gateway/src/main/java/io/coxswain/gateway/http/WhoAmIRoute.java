package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.gateway.auth.AccessPolicy;
import io.coxswain.gateway.auth.Role;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/whoami}: the principal the gateway took the caller for, and what its roles allow.
 * The first thing to ask after a 403, and what {@code cox whoami} prints.
 */
final class WhoAmIRoute {

    private final AccessPolicy access;

    WhoAmIRoute(AccessPolicy access) {
        this.access = access;
    }

    void whoami(RoutingContext ctx) {
        String principal = ctx.get(HttpApi.PRINCIPAL);
        ObjectNode body = Replies.object().put("principal", principal).put("rolesEnforced", access.enforced())
                .put("reads", access.readsByRole() ? "by-role" : "all");
        ArrayNode roles = body.putArray("roles");
        for (Role role : access.rolesOf(principal)) {
            ObjectNode r = roles.addObject().put("name", role.name());
            role.commandList().forEach(r.putArray("commands")::add);
            role.clusters().forEach(r.putArray("clusters")::add);
            if (role.selector() != null) {
                r.put("selector", role.selector());
            }
        }
        Replies.json(ctx, 200, body);
    }
}
