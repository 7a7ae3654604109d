package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Routes each request of the sandbox API server: discovery documents first (the CRUD store would
 * answer {@code /api} with every object it holds), then the API-server behaviours the CRUD store
 * lacks (graceful pod deletion), then the CRUD store. Every JSON answer carries
 * {@code Content-Type: application/json}, which kubectl needs to accept discovery.
 */
final class SandboxDispatcher extends Dispatcher {

    private static final String WATCH_EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
            + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
            + "\"message\":\"the sandbox API server streams watches over WebSocket only; list again\"}}\n";

    private final Discovery discovery;
    private final KubernetesCrudDispatcher store;
    private final GracefulPodDeletion podDeletion;

    SandboxDispatcher(Discovery discovery, KubernetesCrudDispatcher store) {
        this.discovery = discovery;
        this.store = store;
        this.podDeletion = new GracefulPodDeletion(store);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (request.method() == HttpMethod.GET) {
            String document = discovery.document(request.getPath()).orElse(null);
            if (document != null) {
                return withJsonType(new MockResponse().setResponseCode(200).setBody(document));
            }
        }
        if (isPlainHttpWatch(request)) {
            return withJsonType(new MockResponse().setResponseCode(200).setBody(WATCH_EXPIRED));
        }
        MockResponse response = podDeletion.handle(request);
        if (response == null) {
            response = store.dispatch(request);
        }
        return response.getWebSocketListener() == null ? withJsonType(response) : response;
    }

    /**
     * The store streams watch events over WebSocket only, as fabric8's client watches. client-go
     * (kubectl) watches over a streamed HTTP response, which the mock cannot hold open; it is
     * told its resource version expired, so it re-lists (after its back-off) and learns the
     * changes from the new list: {@code kubectl delete} and {@code rollout status} then finish,
     * a little late. {@code kubectl get --watch} stops with this error.
     */
    private static boolean isPlainHttpWatch(RecordedRequest request) {
        String path = request.getPath();
        return request.method() == HttpMethod.GET && (path.contains("?watch=") || path.contains("&watch="))
                && !path.contains("watch=false") && !path.contains("watch=0")
                && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    private static MockResponse withJsonType(MockResponse response) {
        if (response.header("Content-Type") == null && response.getBody() != null && response.getBody().size() > 0) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }

    @Override
    public void releaseResources() {
        store.releaseResources();
    }
}
