package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * Routes each request of the sandbox API server: discovery documents first (the CRUD store would
 * answer {@code /api} with every object it holds), then the API-server behaviours the CRUD store
 * lacks (watches over plain HTTP, the scale subresource, strategic merge and apply patches,
 * graceful pod deletion, orphaning deletion of StatefulSets), then the CRUD store, whose answers
 * are turned into Tables for kubectl when it asks. Every JSON answer carries {@code Content-Type: application/json}, which kubectl needs.
 */
final class SandboxDispatcher extends Dispatcher {

    private final Discovery discovery;
    private final BuiltInStatusCrudDispatcher store;
    /** Each answers the requests it knows and returns null for the others. */
    private final List<Function<RecordedRequest, MockResponse>> handlers;
    private final TableView tables = new TableView();

    SandboxDispatcher(Discovery discovery, BuiltInStatusCrudDispatcher store) {
        this.discovery = discovery;
        this.store = store;
        this.handlers = List.of(new HttpWatch(store)::handle, new ScaleSubresource(store)::handle,
                new MergingPatch(store)::handle, new GracefulPodDeletion(store)::handle, new OrphanDeletion(store)::handle);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (request.method() == HttpMethod.GET) {
            MockResponse answer = discovery.answer(request.getPath()).orElse(null);
            if (answer != null) {
                return answer;
            }
        }
        MockResponse response = null;
        for (Function<RecordedRequest, MockResponse> handler : handlers) {
            response = handler.apply(request);
            if (response != null) {
                break;
            }
        }
        if (response == null) {
            response = store.dispatch(request);
            if (request.method() == HttpMethod.GET && response.code() == 200 && response.getWebSocketListener() == null
                    && TableView.wanted(request.getHeader("Accept"))) {
                response = asTable(request, response);
            }
        }
        return response.getWebSocketListener() == null ? withJsonType(response) : response;
    }

    private MockResponse asTable(RecordedRequest request, MockResponse response) {
        String plural = store.extractor().fromKubernetesPath(request.getPath()).get(KubernetesAttributesExtractor.PLURAL);
        try {
            return response.setBody(tables.render(plural == null ? "" : plural, response.getBody().getBytes()))
                    .setHeader("Content-Type", "application/json");
        } catch (IOException e) {
            return response; // not an object: the client gets it as it is
        }
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
