package io.coxswain.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static files under {@code /console/}, served without a token (they hold no
 * data; the page asks for a token and calls {@code /v1} with it), and {@code /} leads there. The
 * content security policy allows only this origin's own scripts, styles and API, and no framing.
 */
final class Console {

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private Console() {
    }

    static void mount(Router router) {
        router.route(HttpMethod.GET, "/").handler(ctx -> ctx.redirect("/console/"));
        // Vert.x matches "/console" for "/console/" too: redirect only the path without the slash
        router.route(HttpMethod.GET, "/console").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.redirect("/console/");
            }
        });
        StaticHandler files = StaticHandler.create("io/coxswain/gateway/console").setDirectoryListing(false);
        router.route(HttpMethod.GET, "/console/*").handler(ctx -> {
            ctx.put(HttpApi.ROUTE, "/console");
            ctx.response().putHeader("Content-Security-Policy", POLICY).putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        }).handler(files);
    }
}
