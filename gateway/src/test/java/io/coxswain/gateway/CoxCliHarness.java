package io.coxswain.gateway;

import io.coxswain.commands.cli.Cox;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cox test classes share: a gateway of their own for the class ({@link GatewayPerClass}), and cox run
 * against it in process as a user would, with the test token ({@link #cox}) or another or none
 * ({@link #coxWith}); what it prints comes back as a {@link Run}.
 */
abstract class CoxCliHarness extends GatewayPerClass {

    /** What one cox run printed and how it ended. */
    record Run(int code, String out, String err) {
        /** What it printed, read as JSON (it was run with {@code -o json}). */
        JsonNode json() {
            try {
                return GatewayHarness.JSON.readTree(out);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }
    }

    static Run cox(String... args) {
        return coxWith(GatewayHarness.TOKEN, args);
    }

    /** {@code cox} with {@code --token token}, or with no token at all where it is null. */
    static Run coxWith(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--gateway", h.url()));
        if (token != null) {
            all.addAll(List.of("--token", token));
        }
        all.addAll(List.of(args));
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
