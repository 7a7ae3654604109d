package io.coxswain.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one line a node prints when it can take commands: {@code Coxswain ready: key=value ...}.
 * Scripts find the bootstrap address (and later the HTTP and Kubernetes URLs) from it.
 */
public final class ReadyLine {

    private final Map<String, String> entries = new LinkedHashMap<>();

    public ReadyLine put(String key, String value) {
        entries.put(key, value);
        return this;
    }

    @Override
    public String toString() {
        return "Coxswain ready: " + entries.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
