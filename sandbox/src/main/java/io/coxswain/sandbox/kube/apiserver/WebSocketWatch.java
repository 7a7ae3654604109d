package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * One watch over WebSocket (fabric8's way of watching), in place of the mock's own listener.
 * That one, when a client closed its watch while events were still being sent, blocked the
 * server's only event loop for up to 30 s: its close handler waited, on the event loop, for a
 * sender thread that was itself waiting for the event loop to finish a write. This one never
 * blocks the event loop: events go out in order on the watch's own sender thread, and closing
 * only stops that thread.
 * <p>
 * It also honours the watch's resourceVersion, from the {@link WatchJournal}: a client that
 * listed at version N is sent exactly the changes after N, as from a real API server, instead
 * of every object again.
 */
final class WebSocketWatch extends WebSocketListener {

    private final AttributeSet query;
    private final Set<WebSocketWatch> registry;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-watch-sender");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    /** Events held until the socket opens; guarded by {@link #lock}. */
    private final List<String> pending;
    private WebSocket socket;
    private volatile boolean closed;

    /**
     * @param initialEvents what the client must be told first (the current objects, or the
     *     changes since its version), as JSON event lines
     */
    WebSocketWatch(AttributeSet query, List<String> initialEvents, Set<WebSocketWatch> registry) {
        this.query = query;
        this.registry = registry;
        this.pending = new ArrayList<>(initialEvents);
    }

    /** Called for every change of the store, under its write lock: must not block. */
    void offer(WatchJournal.Change change) {
        String event = change.eventFor(query);
        if (event.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (socket == null) {
                pending.add(event);
                return;
            }
        }
        send(event);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        List<String> held;
        synchronized (lock) {
            socket = webSocket;
            held = new ArrayList<>(pending);
            pending.clear();
        }
        held.forEach(this::send);
    }

    private void send(String event) {
        String frame = event.endsWith("\n") ? event.substring(0, event.length() - 1) : event;
        try {
            sender.execute(() -> {
                if (!closed) {
                    sendOrStop(() -> socket.send(frame));
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the client is gone
        }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        try {
            sender.execute(() -> sendOrStop(() -> webSocket.close(code, reason))); // after the events already queued
        } catch (RejectedExecutionException e) {
            // already closed
        }
    }

    /**
     * Runs a write on the socket, on the sender thread. A write hands the frame to the server's event loop, which rejects it
     * once the server is stopping (a start that failed and is being undone, a sandbox closed while its executor still
     * changes objects): the client is gone then, so the watch stops instead of the sender thread dying with a
     * RejectedExecutionException in the log.
     */
    private void sendOrStop(Runnable write) {
        try {
            write.run();
        } catch (RejectedExecutionException e) {
            stop();
        }
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        stop();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        stop();
    }

    void stop() {
        closed = true;
        registry.remove(this);
        sender.shutdown();
    }
}
