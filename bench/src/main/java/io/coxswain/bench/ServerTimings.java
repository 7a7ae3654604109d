package io.coxswain.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own account of each measured {@code POST ?wait=true} (its {@code Server-Timing}
 * header: write, decision, state), gathered in the very window the POST rows come from, with no
 * extra consumer watching. Percentiles are of each phase on its own.
 */
final class ServerTimings {

    static final List<String> PHASES = List.of("write", "decision", "state");

    private final Map<String, List<Long>> nanos = new LinkedHashMap<>();

    /** Takes one header value, e.g. {@code write;dur=1.2, decision;dur=20.4, state;dur=0.1, total;dur=21.8}. */
    synchronized void add(String header) {
        if (header == null) {
            return;
        }
        for (String entry : header.split(",")) {
            String[] parts = entry.trim().split(";dur=");
            if (parts.length == 2 && PHASES.contains(parts[0])) {
                nanos.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Math.round(Double.parseDouble(parts[1]) * 1e6));
            }
        }
    }

    synchronized Percentiles of(String phase) {
        return new Percentiles(nanos.getOrDefault(phase, List.of()).stream().mapToLong(Long::longValue).toArray());
    }
}
