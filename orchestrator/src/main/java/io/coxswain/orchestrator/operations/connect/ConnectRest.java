package io.coxswain.orchestrator.operations.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kafka Connect REST API of one Connect cluster, the calls Coxswain makes and nothing else. Each
 * call waits at most the timeout; a failure is a {@link ConnectRestException} that says which call,
 * where, and what Connect answered, for the operator to read in the log and in {@code status.connectUnreachable}.
 */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR = 300;
    private static final Pattern INVALID_VALUE = Pattern.compile("Invalid value .*? for configuration", Pattern.DOTALL);
    /** A user:password in a URL, and a password-like key with its value, as exception messages tend to carry them. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@\\s:]+):[^/@\\s]+@");
    private static final Pattern KEY_PASSWORD = Pattern.compile("(?i)\\b(password|passwd|pwd|secret|token)(\\s*[=:]\\s*)[^\\s,;&)\"']+");

    private final HttpClient http;
    private final String url;
    private final Duration timeout;
    private final Duration writeTimeout;

    /**
     * @param url          the Connect cluster's REST address, e.g. {@code http://payments-connect.kafka-payments.svc:8083}
     * @param timeout      of a read
     * @param writeTimeout of a change: Connect forwards it to its leader and answers within its own 90 s
     */
    public ConnectRest(HttpClient http, String url, Duration timeout, Duration writeTimeout) {
        this.http = http;
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.writeTimeout = writeTimeout;
    }

    public String url() {
        return url;
    }

    /** Every connector with its configuration and status, by name. */
    public Map<String, LiveConnector> connectors() {
        JsonNode body = call("GET", "/connectors?expand=info&expand=status", null);
        Map<String, LiveConnector> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), live(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Creates the connector, or replaces its configuration (Connect restarts its tasks on a change). */
    public void putConfig(String name, Map<String, String> config) {
        call("PUT", "/connectors/" + path(name) + "/config", json(config));
    }

    /**
     * Creates the connector in the state given (KIP-980, Kafka 3.7, Confluent Platform 7.7): a connector created PAUSED or
     * STOPPED never runs before it is asked to. Connect answers 409 when a connector of this name exists ({@link
     * ConnectRestException#alreadyExists()}).
     */
    public void create(String name, Map<String, String> config, String initialState) {
        call("POST", "/connectors", json(Map.of("name", name, "config", config, "initial_state", initialState)));
    }

    public void pause(String name) {
        call("PUT", "/connectors/" + path(name) + "/pause", null);
    }

    public void resume(String name) {
        call("PUT", "/connectors/" + path(name) + "/resume", null);
    }

    public void stop(String name) {
        call("PUT", "/connectors/" + path(name) + "/stop", null);
    }

    /** The connector and its tasks; only those that FAILED when {@code onlyFailed}. */
    public void restart(String name, boolean onlyFailed) {
        call("POST", "/connectors/" + path(name) + "/restart?includeTasks=true&onlyFailed=" + onlyFailed, null);
    }

    /**
     * Erases a stopped connector's offsets (KIP-875); Connect refuses it for a connector that is not STOPPED.
     *
     * @return Connect's message: it says so when only the offsets Connect keeps were erased, not those the plugin keeps itself
     */
    public String resetOffsets(String name) {
        return call("DELETE", "/connectors/" + path(name) + "/offsets", null).path("message").asText("");
    }

    public void delete(String name) {
        call("DELETE", "/connectors/" + path(name), null);
    }

    private static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps of strings always serialise
        }
    }

    private JsonNode call(String method, String pathAndQuery, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout("GET".equals(method) ? timeout : writeTimeout)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String what = method + " " + pathAndQuery.replaceFirst("\\?.*", "");
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectRestException("Connect at " + url + " did not answer " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectRestException("interrupted while asking Connect at " + url + " for " + what, e);
        }
        if (response.statusCode() >= 300) {
            throw new ConnectRestException(response.statusCode(), "Connect at " + url + " answered " + what + " with "
                    + response.statusCode() + ": " + message(response.body()));
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ConnectRestException("Connect at " + url + " answered " + what + " with what is not JSON: " + firstLine(response.body()), e);
        }
    }

    private static LiveConnector live(String name, JsonNode node) {
        Map<String, String> config = new TreeMap<>();
        node.path("info").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        JsonNode status = node.path("status");
        String state = status.path("connector").path("state").asText("UNASSIGNED");
        String error = LiveConnector.FAILED.equals(state) ? redacted(firstLine(status.path("connector").path("trace").asText(""))) : null;
        int tasks = 0;
        int failed = 0;
        for (JsonNode task : status.path("tasks")) {
            tasks++;
            if (LiveConnector.FAILED.equals(task.path("state").asText())) {
                failed++;
                if (error == null) {
                    error = "task " + task.path("id").asText() + ": " + redacted(firstLine(task.path("trace").asText("")));
                }
            }
        }
        return new LiveConnector(name, config, state, tasks, failed, error);
    }

    /**
     * Connect's error body is {@code {"error_code": 409, "message": "..."}}. Connect checks a configuration after its
     * config providers resolved it, and says "Invalid value &lt;value&gt; for configuration &lt;key&gt;": the value is
     * left out, since it may be a resolved secret and the message goes to the log and the command log.
     */
    private static String message(String body) {
        String text = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                text = node.get("message").asText();
            }
        } catch (JsonProcessingException notJson) {
            // the body as it is
        }
        // a refused configuration lists its errors on the lines after the first; values go before the length is cut
        return oneLine(redacted(INVALID_VALUE.matcher(text).replaceAll("Invalid value (not shown) for configuration")));
    }

    /**
     * Connect's and connectors' messages end up in the log and in the command log, and may hold a value a config provider
     * resolved: a password in a URL or after a password-like key is left out.
     */
    static String redacted(String text) {
        String out = URL_PASSWORD.matcher(text).replaceAll("$1:(not shown)@");
        return KEY_PASSWORD.matcher(out).replaceAll("$1$2(not shown)");
    }

    private static String oneLine(String text) {
        String line = String.join(" ", text.strip().lines().map(String::strip).toList());
        return line.length() > 2 * MAX_ERROR ? line.substring(0, 2 * MAX_ERROR) + "…" : line;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > MAX_ERROR ? line.substring(0, MAX_ERROR) + "…" : line;
    }

    private static String path(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
