package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of the CRUD store, indexed by plural, namespace and name. fabric8's store keeps its
 * objects in one map keyed by attribute sets and scans all of it on every request, so each read or
 * write cost O(objects) and a thousand clusters took minutes per pass. Here a request looks only at
 * the keys it could match: one (a named object), those of one kind in one namespace, or one kind
 * in every namespace. Whoever asks still filters the candidates with {@link AttributeSet#matches},
 * so label and field selectors mean exactly what they meant to the stock store; the index only
 * narrows where it looks.
 *
 * <p>Candidates come in the store map's order (least recently written first), which is the order
 * the stock store listed in, so lists look the same as before. Not thread-safe by itself: the
 * dispatcher guards it with its lock.
 */
final class StoreIndex {

    private static final String ANY = "*";

    /** plural → namespace ("" when cluster-scoped) → name → the keys (normally one) with their write order. */
    private final Map<String, Map<String, Map<String, Map<AttributeSet, Long>>>> byKind = new HashMap<>();
    /** Keys without a plural or a name (none that the API server writes): always candidates. */
    private final Map<AttributeSet, Long> unindexed = new LinkedHashMap<>();
    private long writes;

    /** Where a stored key sits in the index; null when it lacks a plain plural or name (then it is always a candidate). */
    private record Slot(String plural, String namespace, String name) {

        static Slot of(AttributeSet key) {
            String plural = stored(key, KubernetesAttributesExtractor.PLURAL);
            String name = stored(key, KubernetesAttributesExtractor.NAME);
            boolean namespaced = key.containsKey(KubernetesAttributesExtractor.NAMESPACE);
            String namespace = namespaced ? stored(key, KubernetesAttributesExtractor.NAMESPACE) : "";
            return plural == null || name == null || namespace == null ? null : new Slot(plural, namespace, name);
        }
    }

    /** Called after the store put {@code key}: it is now the most recently written. */
    void put(AttributeSet key) {
        long order = ++writes;
        Slot slot = Slot.of(key);
        if (slot == null) {
            unindexed.remove(key);
            unindexed.put(key, order);
            return;
        }
        byKind.computeIfAbsent(slot.plural(), p -> new HashMap<>())
                .computeIfAbsent(slot.namespace(), n -> new HashMap<>())
                .computeIfAbsent(slot.name(), n -> new LinkedHashMap<>(2))
                .put(key, order);
    }

    void remove(AttributeSet key) {
        Slot slot = Slot.of(key);
        if (slot == null) {
            unindexed.remove(key);
            return;
        }
        Map<String, Map<String, Map<AttributeSet, Long>>> namespaces = byKind.get(slot.plural());
        Map<String, Map<AttributeSet, Long>> names = namespaces == null ? null : namespaces.get(slot.namespace());
        Map<AttributeSet, Long> keys = names == null ? null : names.get(slot.name());
        if (keys == null || keys.remove(key) == null) {
            return;
        }
        // Empty maps are dropped, so namespaces that come and go leave nothing behind.
        if (keys.isEmpty()) {
            names.remove(slot.name());
            if (names.isEmpty()) {
                namespaces.remove(slot.namespace());
                if (namespaces.isEmpty()) {
                    byKind.remove(slot.plural());
                }
            }
        }
    }

    void clear() {
        byKind.clear();
        unindexed.clear();
    }

    /** Every key that could match {@code query}, in the order they were last written; a superset of the matches. */
    List<AttributeSet> candidates(AttributeSet query) {
        String plural = wanted(query, KubernetesAttributesExtractor.PLURAL);
        String namespace = wanted(query, KubernetesAttributesExtractor.NAMESPACE);
        String name = wanted(query, KubernetesAttributesExtractor.NAME);
        List<Map.Entry<AttributeSet, Long>> found = new ArrayList<>(unindexed.entrySet());
        for (Map<String, Map<String, Map<AttributeSet, Long>>> namespaces : plural == null ? byKind.values()
                : List.of(byKind.getOrDefault(plural, Map.of()))) {
            for (Map<String, Map<AttributeSet, Long>> names : namespace == null ? namespaces.values()
                    : List.of(namespaces.getOrDefault(namespace, Map.of()))) {
                if (name == null) {
                    names.values().forEach(keys -> found.addAll(keys.entrySet()));
                } else {
                    found.addAll(names.getOrDefault(name, Map.of()).entrySet());
                }
            }
        }
        found.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        List<AttributeSet> keys = new ArrayList<>(found.size());
        found.forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    /** The one value {@code query} requires for {@code attribute}, or null when it does not pin one down. */
    private static String wanted(AttributeSet query, String attribute) {
        Attribute a = query.getAttribute(attribute);
        if (a == null || a.getType() != AttributeType.WITH) {
            return null;
        }
        return single(a);
    }

    private static String stored(AttributeSet key, String attribute) {
        Attribute a = key.getAttribute(attribute);
        return a == null ? null : single(a);
    }

    /** "*" matches any value in fabric8's attributes, so it pins nothing down. */
    private static String single(Attribute a) {
        if (a.getValues().size() != 1 || a.getValues().get(0) == null) {
            return null;
        }
        String value = a.getValues().get(0).toString();
        return value == null || value.equals(ANY) ? null : value;
    }
}
