package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * fabric8's CRUD store with one correction: the built-in kinds that have a {@code /status}
 * subresource on a real API server behave as such here too. The stock mock only knows this for
 * custom resources, so a plain PUT or PATCH of a StatefulSet replaced its {@code .status} with
 * whatever the caller sent (usually nothing), and a status sent with a create was kept. A real
 * API server ignores {@code .status} on the main resource for these kinds, and so do we:
 * controllers must write status through the status subresource, as on a cluster.
 */
final class BuiltInStatusCrudDispatcher extends IndexedCrudDispatcher {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** "group/plural" of the kinds {@link ApiDefaults} knows. */
    private static final Set<String> DEFAULTED =
            Set.of("apps/statefulsets", "/pods", "/services", "/persistentvolumeclaims");

    /** Kinds whose status the API server itself sets when they are created. */
    private static final Set<String> INITIAL_STATUS = Set.of("pods", "persistentvolumeclaims");

    private final WatchJournal journal = new WatchJournal();
    private final Set<WebSocketWatch> watches = ConcurrentHashMap.newKeySet();
    private final ApiDefaults defaults = new ApiDefaults();

    /**
     * "group/plural" ("" for the core group) of the built-in resources with a status subresource.
     * Not namespaces: the store reads {@code /api/v1/namespaces/x/status} as a resource "status"
     * in namespace x, so a namespace's status can only be written with the namespace itself.
     */
    private static final Set<String> WITH_STATUS = Set.of(
            "/pods", "/services", "/persistentvolumeclaims", "/persistentvolumes", "/nodes",
            "/replicationcontrollers", "/resourcequotas",
            "apps/statefulsets", "apps/deployments", "apps/replicasets", "apps/daemonsets",
            "policy/poddisruptionbudgets", "batch/jobs", "batch/cronjobs",
            "autoscaling/horizontalpodautoscalers", "networking.k8s.io/ingresses");

    /** Creates go through the API server's defaulting first. */
    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return super.handleCreate(withDefaults(request, false));
    }

    /**
     * So do updates (PUT): a real API server defaults every write of an object. Then it validates
     * the update, as do patches: see {@link #processEvent}.
     */
    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return refusable(() -> super.handleUpdate(withDefaults(request, true)));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return refusable(() -> super.handlePatch(request));
    }

    /** A write {@link ImmutableFields} refused, on its way out of the store's handlers with nothing changed. */
    private static final class Refused extends RuntimeException {
        private final transient ObjectNode status;

        Refused(ObjectNode status) {
            super(status.path("message").asText(), null, false, false);
            this.status = status;
        }
    }

    private static MockResponse refusable(Supplier<MockResponse> write) {
        try {
            return write.get();
        } catch (Refused refused) {
            return new MockResponse().setResponseCode(422).setBody(refused.status.toString());
        }
    }

    /**
     * Every update and patch reaches the store here, as the object it would store, before the
     * store changes: the one place where each kind of write (PUT, JSON and merge patches, and the
     * strategic and apply patches {@link MergingPatch} turns into PUTs) can be validated against
     * the stored object, as a real API server validates every update. A status subresource
     * write keeps the stored spec, so it is not checked.
     */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String bare = path.split("\\?")[0];
        if (oldAttributes != null && newState != null && !bare.endsWith("/status")) {
            Map<String, String> parts = extractor().fromKubernetesPath(bare);
            String group = parts.getOrDefault(KubernetesAttributesExtractor.API, "");
            String plural = parts.getOrDefault(KubernetesAttributesExtractor.PLURAL, "");
            if (ImmutableFields.validates(group, plural)) {
                try {
                    JsonNode updated = MAPPER.readTree(newState);
                    List<ImmutableFields.Violation> violations =
                            ImmutableFields.check(group, plural, MAPPER.readTree(map.get(oldAttributes)), updated);
                    if (!violations.isEmpty()) {
                        throw new Refused(ImmutableFields.invalid(updated, violations));
                    }
                } catch (IOException e) {
                    // not JSON: nothing to compare, as before
                }
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }

    private RecordedRequest withDefaults(RecordedRequest request, boolean update) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        if (bare.endsWith("/status") || bare.endsWith("/scale")) {
            return request;
        }
        Map<String, String> parts = extractor().fromKubernetesPath(bare);
        String group = parts.getOrDefault(KubernetesAttributesExtractor.API, "");
        String plural = parts.get(KubernetesAttributesExtractor.PLURAL);
        if (plural == null || !DEFAULTED.contains(group + "/" + plural)) {
            return request;
        }
        try {
            if (!(MAPPER.readTree(request.getBody().getBytes()) instanceof ObjectNode object)) {
                return request;
            }
            JsonNode stored = null;
            if (update) {
                MockResponse current = handleGet(bare);
                stored = current.code() == 200 ? MAPPER.readTree(current.getBody().getBytes()) : null;
            }
            defaults.apply(plural, object, stored, !update);
            return new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                    new Buffer(MAPPER.writeValueAsBytes(object)));
        } catch (IOException e) {
            return request; // not JSON: the store answers with its own error
        }
    }

    WatchJournal journal() {
        return journal;
    }

    /**
     * Every change of the store passes here (under the store's write lock): after the store has
     * applied it, it is journalled for plain HTTP watches and offered to the WebSocket watches,
     * with the attributes the store itself would match watchers against.
     */
    @Override
    protected void changed(String existing, AttributeSet oldAttributes, String newState, AttributeSet newAttributes) {
        long version;
        if (newState != null) {
            version = resourceVersionOf(newState);
        } else {
            // A deletion is a change of its own, with a version of its own, as on a real API server.
            version = requestResourceVersion();
            existing = withResourceVersion(existing, version);
        }
        WatchJournal.Change change = new WatchJournal.Change(version, existing, oldAttributes, newState, newAttributes);
        journal.record(change);
        watches.forEach(watch -> watch.offer(change));
    }

    /**
     * Watches over WebSocket are served by {@link WebSocketWatch} instead of the mock's own
     * listener. Called by {@code handleGet} under the store's read lock, so no change can slip
     * between the events a watch starts with and those it is offered afterwards.
     */
    @Override
    public MockResponse handleWatch(String path) {
        AttributeSet query = getKey(path);
        String since = HttpWatch.queryParameter(path, "resourceVersion").orElse("");
        WebSocketWatch watch = new WebSocketWatch(query, eventsSince(query, since), watches);
        watches.add(watch);
        return new MockResponse().withWebSocketUpgrade(watch);
    }

    /**
     * What a new watch of {@code query} from {@code resourceVersion} is told first, as event
     * lines: with no version (or "0"), every matching object as ADDED; with a version, the
     * changes since, or "expired" when the journal no longer reaches back that far.
     */
    List<String> eventsSince(AttributeSet query, String resourceVersion) {
        List<String> events = new ArrayList<>();
        if (resourceVersion.isEmpty() || resourceVersion.equals("0")) {
            List<String> objects = new ArrayList<>();
            matching(query).forEach(entry -> objects.add(entry.getValue()));
            objects.sort(Comparator.comparingLong(BuiltInStatusCrudDispatcher::resourceVersionOf));
            objects.forEach(object -> events.add(WatchJournal.event("ADDED", object)));
            return events;
        }
        long version;
        try {
            version = Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return List.of(WatchJournal.EXPIRED);
        }
        Optional<List<WatchJournal.Change>> changes = journal.since(version);
        if (changes.isEmpty()) {
            return List.of(WatchJournal.EXPIRED);
        }
        for (WatchJournal.Change change : changes.get()) {
            String event = change.eventFor(query);
            if (!event.isEmpty()) {
                events.add(event);
            }
        }
        return events;
    }

    @Override
    public void shutdown() {
        watches.forEach(WebSocketWatch::stop);
        super.shutdown();
    }

    private static long resourceVersionOf(String json) {
        try {
            return Long.parseLong(MAPPER.readTree(json).path("metadata").path("resourceVersion").asText("0"));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String withResourceVersion(String json, long version) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node.get("metadata") instanceof ObjectNode metadata) {
                metadata.put("resourceVersion", Long.toString(version));
            }
            return node.toString();
        } catch (IOException e) {
            return json;
        }
    }

    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
        Map<String, String> parts = extractor().fromKubernetesPath(path);
        String group = parts.getOrDefault(KubernetesAttributesExtractor.API, "");
        String plural = parts.get(KubernetesAttributesExtractor.PLURAL);
        if (plural != null && WITH_STATUS.contains(group + "/" + plural)) {
            // On create (a collection path) the store would drop the status; pods and claims are
            // given their initial status (phase Pending) by ApiDefaults instead, as the API server does.
            boolean create = !parts.containsKey(KubernetesAttributesExtractor.NAME);
            return !(create && INITIAL_STATUS.contains(plural));
        }
        return super.isStatusSubresourceEnabledForResource(path);
    }
}
