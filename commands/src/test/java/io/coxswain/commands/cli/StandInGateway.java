package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A gateway for cox's unit tests that records what cox sends and answers what a gateway would: a POST accepted as
 * version 10 under the command id sent ("generated" without one), a GET with the cluster document the test gives
 * for the request's path. (End to end through a real gateway and fold: the gateway module's *CliTest classes.)
 */
final class StandInGateway implements AutoCloseable {

    /** What one cox run printed and how it ended. */
    record Run(int code, String out, String err) {
        /** What it printed, read as JSON (it was run with {@code -o json}). */
        JsonNode json() {
            try {
                return GatewayClient.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError(out + err, e);
            }
        }
    }

    /** Each request as method and URI, in order. */
    final List<String> paths = new ArrayList<>();
    /** The body of each POST, in order. */
    final List<JsonNode> bodies = new ArrayList<>();
    private final HttpServer server;

    /** {@code clusters}: the JSON a GET of that path answers. */
    StandInGateway(UnaryOperator<String> clusters) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String answer;
            if (exchange.getRequestMethod().equals("POST")) {
                JsonNode body = GatewayClient.JSON.readTree(exchange.getRequestBody());
                bodies.add(body);
                answer = "{\"status\":\"accepted\",\"version\":10,\"commandId\":\"" + body.path("commandId").asText("generated") + "\"}";
            } else {
                answer = clusters.apply(exchange.getRequestURI().getPath());
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** cox run in process against this gateway, with a token. */
    Run cox(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--gateway", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t"));
        all.addAll(List.of(args));
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The body of the latest POST. */
    JsonNode lastBody() {
        return bodies.get(bodies.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
