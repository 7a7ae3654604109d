package io.coxswain.gateway.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the result of an audit replay (computed on the audit service's own threads) back to the
 * request's event loop, and turns its failures into JSON errors: a bad argument is 400, a version that
 * never existed 404, Kafka trouble 503, anything else 500.
 */
final class AuditReplies {

    private static final Logger log = LoggerFactory.getLogger(AuditReplies.class);

    private AuditReplies() {
    }

    static <T> void when(RoutingContext ctx, CompletionStage<T> work, String what, Consumer<T> reply) {
        Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.succeeded()) {
                reply.accept(ar.result());
            } else {
                fail(ctx, ar.cause(), what);
            }
        });
    }

    private static void fail(RoutingContext ctx, Throwable failure, String what) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof IllegalArgumentException) {
            Replies.error(ctx, 400, e.getMessage(), null);
        } else if (e instanceof NoSuchElementException) {
            Replies.error(ctx, 404, e.getMessage(), null);
        } else if (e instanceof KafkaException || e instanceof TimeoutException || e instanceof IllegalStateException) {
            log.warn("{} failed: {}", what, e.toString());
            Replies.error(ctx, 503, what + " could not read the command log: " + e.getMessage()
                    + "; check that Kafka is reachable (GET /health/ready) and retry", null);
        } else {
            ctx.fail(500, e);
        }
    }
}
