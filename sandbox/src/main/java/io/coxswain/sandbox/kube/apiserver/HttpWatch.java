package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    private static final String EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
            + "\"message\":\"too old resource version\"}}\n";

    private final BuiltInStatusCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();

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
        String since = queryParameter(path, "resourceVersion").orElse("");
        StringBuilder events = new StringBuilder();
        if (since.isEmpty() || since.equals("0")) {
            // No version: the current objects come first, as ADDED, oldest version first.
            initialEvents(path).forEach(object -> events.append(event("ADDED", object)));
        } else {
            long version;
            try {
                version = Long.parseLong(since);
            } catch (NumberFormatException e) {
                return json(EXPIRED);
            }
            Optional<List<WatchJournal.Change>> changes = store.journal().since(version);
            if (changes.isEmpty()) {
                return json(EXPIRED);
            }
            changes.get().forEach(change -> events.append(eventFor(change, query)));
        }
        if (events.length() == 0) {
            // The mock delays only a non-empty body: a newline is an empty event stream to a client.
            return json("\n").setBodyDelay(EMPTY_WAIT);
        }
        return json(events.toString());
    }

    /** The event a watcher matching {@code query} sees for {@code change}, as the store's own watchers do. */
    private static String eventFor(WatchJournal.Change change, AttributeSet query) {
        boolean before = change.oldAttributes() != null && change.oldAttributes().matches(query);
        boolean after = change.newAttributes() != null && change.newAttributes().matches(query);
        if (before && after) {
            return event("MODIFIED", change.newState());
        } else if (before) {
            return event("DELETED", change.oldState());
        } else if (after) {
            return event("ADDED", change.newState());
        }
        return "";
    }

    private List<String> initialEvents(String path) {
        String listPath = path.replaceAll("([?&])watch=true&?", "$1");
        List<JsonNode> items = new ArrayList<>();
        try {
            JsonNode list = mapper.readTree(store.handleGet(listPath).getBody().getBytes());
            list.path("items").forEach(items::add);
        } catch (IOException e) {
            return List.of();
        }
        items.sort(Comparator.comparingLong(i -> i.path("metadata").path("resourceVersion").asLong()));
        return items.stream().map(JsonNode::toString).toList();
    }

    private static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n";
    }

    private static Optional<String> queryParameter(String path, String name) {
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
