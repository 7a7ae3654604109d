package io.coxswain.orchestrator.operations;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/**
 * Waits for Admin futures with a deadline and turns their checked exceptions into one unchecked
 * type that says which call failed, so checks can stay free of try/catch noise.
 */
public final class AdminCalls {

    private AdminCalls() {
    }

    public static <T> T await(String what, KafkaFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallFailed(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AdminCallFailed(what + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new AdminCallFailed(what + " did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    /** An Admin call that failed or timed out; the message names the call. */
    public static final class AdminCallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AdminCallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
