package io.coxswain.gateway.http;

import io.coxswain.gateway.json.BadInputException;
import io.coxswain.gateway.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ?consistent=true} on any read: answered only once this gateway's read model holds every
 * record committed to the log when the request arrived. Behind a load balancer the gateway that
 * accepted a change and the one asked next may differ; a read that follows a write (a pipeline's
 * {@code cox upgrade} then {@code cox wait}) would otherwise be answered by a replica that has not
 * read the change yet, and take the state before it for the answer. Kubernetes' API server reads
 * its store the same way unless asked for a cached answer. The wait is one question to Kafka and
 * the catch-up after it (milliseconds); it is bounded, and answered 503 when Kafka cannot be asked.
 */
final class ConsistentReads {

    static final String PARAM = "consistent";
    static final Duration BOUND = Duration.ofSeconds(5);

    private ConsistentReads() {
    }

    /** Mounts the wait before the read routes (and before the read guard, so that it judges by current labels too). */
    static void mount(Router router, ReadModel model) {
        router.route(HttpMethod.GET, "/v1/*").handler(ctx -> {
            boolean consistent;
            try {
                consistent = new QueryParams(ctx).flag(PARAM, false);
            } catch (BadInputException e) {
                Replies.error(ctx, 400, e.getMessage(), e.field());
                return;
            }
            if (!consistent) {
                ctx.next();
                return;
            }
            Future.fromCompletionStage(model.caughtUpFromNow().orTimeout(BOUND.toMillis(), TimeUnit.MILLISECONDS), ctx.vertx().getOrCreateContext())
                    .onSuccess(v -> ctx.next())
                    .onFailure(e -> unavailable(ctx, e));
        });
    }

    private static void unavailable(RoutingContext ctx, Throwable failure) {
        ctx.response().putHeader("Retry-After", "1");
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why = cause instanceof TimeoutException ? "within " + BOUND.toSeconds() + " s (Kafka did not answer it)"
                : "(" + cause.getMessage() + ")";
        Replies.error(ctx, 503, "this gateway could not confirm " + why + " that it has read every change committed to the log;"
                + " retry, or ask without consistent=true for its last known state, which the Coxswain-As-Of header dates", PARAM);
    }
}
