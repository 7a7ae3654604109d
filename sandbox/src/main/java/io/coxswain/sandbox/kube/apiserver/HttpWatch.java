package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Watches over plain HTTP, as client-go (kubectl) makes them. The store streams watch events
 * over WebSocket only (fabric8's way), and the mock cannot hold an HTTP response open, so a watch
 * is answered by long polling: the changes since the requested resourceVersion that match the
 * watch, at once, or an empty stream after a short wait when there are none. Either way the
 * response ends and the client watches again from the last version it saw, which is how it
 * treats a watch the server closed. {@code kubectl delete}, {@code wait} and
 * {@code rollout status} work so; {@code kubectl get --watch} ends after the first answer.
 */
final class HttpWatch {

    /** Long enough for client-go to take an empty watch as normal (it backs off below one second). */
    private static final Duration EMPTY_WAIT = Duration.ofMillis(1100);

    private final BuiltInStatusCrudDispatcher store;

    HttpWatch(BuiltInStatusCrudDispatcher store) {
        this.store = store;
    }

    /** @return the response to a plain HTTP watch, or null when {@code request} is something else */
    MockResponse handle(RecordedRequest request) {
        String path = request.getPath();
        if (request.method() != HttpMethod.GET || !"true".equals(queryParameter(path, "watch").orElse(null))
                || "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return null;
        }
        AttributeSet query = store.getKey(path);
        StringBuilder events = new StringBuilder();
        store.eventsSince(query, queryParameter(path, "resourceVersion").orElse("")).forEach(events::append);
        if (events.length() == 0) {
            // The mock delays only a non-empty body: a newline is an empty event stream to a client.
            return json("\n").setBodyDelay(EMPTY_WAIT);
        }
        return json(events.toString());
    }

    static Optional<String> queryParameter(String path, String name) {
        String query = URI.create("http://sandbox" + path.replace(" ", "%20")).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String parameter : query.split("&")) {
            int eq = parameter.indexOf('=');
            String key = eq < 0 ? parameter : parameter.substring(0, eq);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(parameter.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).setBody(body).setHeader("Content-Type", "application/json");
    }
}
