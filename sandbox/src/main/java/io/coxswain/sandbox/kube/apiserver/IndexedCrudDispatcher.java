package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD store, answering from a {@link StoreIndex} instead of scanning every object on
 * every request (the scans were three quarters of the sandbox's CPU with 200 clusters, and made a
 * thousand clusters' creates superlinear). Objects still live in the stock store's map and every
 * write still goes through the stock handlers (POST, PUT, JSON patches), so resourceVersions,
 * generations, finalizers and status subresources behave exactly as before; what changes is how
 * reads, deletes and the handlers' lookups find their objects.
 *
 * <p>Locking: the stock store's lock is private, so this class holds its own, taken before the
 * stock one on every path (writes exclusive, reads shared). The index and the map change together
 * under the write lock, and {@link #changed} is called there too, so a watch started under the
 * read lock misses no change.
 */
abstract class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    /** Group-version roots ({@code /apis/g/v}): the stock store answers them with CRD discovery. */
    private static final Pattern API_ROOT = Pattern.compile("/apis(/[a-zA-Z0-9-_.]+)?/[a-zA-Z0-9-_]+");

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final StoreIndex index = new StoreIndex();
    /** The last resourceVersion handed out: what a list says it is as of. */
    private final AtomicLong latestVersion = new AtomicLong();

    /**
     * Every change of the store, under the write lock, after the map and the index have taken it.
     *
     * @param existing the object before (null when created)
     * @param newState the object after (null when deleted)
     */
    protected abstract void changed(String existing, AttributeSet oldAttributes, String newState, AttributeSet newAttributes);

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return write(() -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return write(() -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return write(() -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleGet(String path) {
        return read(() -> {
            if (HttpWatch.queryParameter(path, "watch").filter("true"::equals).isPresent()) {
                return handleWatch(path);
            }
            AttributeSet query = getKey(path);
            if (!query.containsKey(KubernetesAttributesExtractor.PLURAL) || API_ROOT.matcher(path).matches()) {
                return super.handleGet(path); // not an object or a list of them: the stock answer
            }
            List<String> items = new ArrayList<>();
            matching(query).forEach(entry -> items.add(entry.getValue()));
            return answer(query, items);
        });
    }

    /**
     * As the stock store deletes: every match goes, unless it has finalizers, in which case it is
     * marked with a deletionTimestamp (once) and stays until they are removed. The answer holds
     * the objects as they were before.
     */
    @Override
    public MockResponse handleDelete(String path) {
        return write(() -> {
            AttributeSet query = getKey(path);
            List<String> items = new ArrayList<>();
            for (Map.Entry<AttributeSet, String> entry : matching(query)) {
                items.add(entry.getValue());
                delete(path, query, entry);
            }
            return answer(query, items);
        });
    }

    private void delete(String path, AttributeSet query, Map.Entry<AttributeSet, String> entry) {
        GenericKubernetesResource resource = Serialization.unmarshal(entry.getValue(), GenericKubernetesResource.class);
        if (resource.getFinalizers().isEmpty()) {
            processEvent(path, query, entry.getKey(), null, null);
        } else if (!resource.isMarkedForDeletion()) {
            resource.getMetadata().setDeletionTimestamp(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            processEvent(path, query, entry.getKey(), resource, Serialization.asJson(resource));
        }
    }

    private MockResponse answer(AttributeSet query, List<String> items) {
        if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
            return items.isEmpty() ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                    : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
        }
        String list = ((KubernetesResponseComposer) responseComposer).compose(items, String.valueOf(latestVersion.get()));
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(list);
    }

    /** The stored objects matching {@code query}, in the stock store's order. */
    List<Map.Entry<AttributeSet, String>> matching(AttributeSet query) {
        return read(() -> {
            List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
            for (AttributeSet key : index.candidates(query)) {
                String object = key.matches(query) ? map.get(key) : null;
                if (object != null) {
                    found.add(new AbstractMap.SimpleImmutableEntry<>(key, object));
                }
            }
            return found;
        });
    }

    /** The stock handlers' lookup (POST's "already exists", PUT's and PATCH's current object). */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        List<Map.Entry<AttributeSet, String>> found = matching(attributes);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public long requestResourceVersion() {
        long version = super.requestResourceVersion();
        latestVersion.accumulateAndGet(version, Math::max);
        return version;
    }

    /** Every change of the store passes here, under the write lock: the map, then the index, then {@link #changed}. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        String existing = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        AttributeSet newAttributes = null;
        if (oldAttributes != null) {
            index.remove(oldAttributes);
        }
        if (newState != null) {
            // the key the stock store has just put the object under, computed as it does
            newAttributes = resource != null ? extractor().extract(resource) : extractor().fromResource(newState);
            if (!newAttributes.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                newAttributes = AttributeSet.merge(pathAttributes, newAttributes);
            }
            index.put(newAttributes);
        }
        if (!Objects.equals(existing, newState)) {
            changed(existing, oldAttributes, newState, newAttributes);
        }
    }

    KubernetesAttributesExtractor extractor() {
        return (KubernetesAttributesExtractor) attributeExtractor;
    }

    @Override
    public void reset() {
        write(() -> {
            super.reset();
            index.clear();
            return null;
        });
    }

    private <T> T read(Supplier<T> action) {
        return locked(lock.readLock(), action);
    }

    private <T> T write(Supplier<T> action) {
        return locked(lock.writeLock(), action);
    }

    private static <T> T locked(Lock held, Supplier<T> action) {
        held.lock();
        try {
            return action.get();
        } finally {
            held.unlock();
        }
    }
}
