package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Local ports standing for pod ports: one per (namespace, pod, listener), chosen once and kept,
 * so a re-created pod listens where its peers' configurations say it does, and a voter can be
 * written into a configuration before its own pod has started.
 */
public final class PortBook {

    private record Key(String namespace, String pod, String listener) {
    }

    private final Map<Key, Integer> ports = new HashMap<>();
    private final Set<Integer> taken = new HashSet<>();

    public synchronized int port(String namespace, String pod, String listener) {
        return ports.computeIfAbsent(new Key(namespace, pod, listener.toUpperCase(java.util.Locale.ROOT)), k -> fresh());
    }

    private int fresh() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (taken.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free local port", e);
            }
        }
    }
}
