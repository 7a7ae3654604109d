package io.coxswain.sandbox.kube.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The index narrows where the store looks, never what it finds: for any query, the candidates
 * that match are exactly what a scan of every key (fabric8's way) finds, in the same order.
 */
class StoreIndexTest {

    private static final KubernetesAttributesExtractor EXTRACTOR = new KubernetesAttributesExtractor();
    private static final List<String> KINDS = List.of("pods", "configmaps", "statefulsets");

    @Test
    void candidatesThatMatchAreExactlyWhatAScanFinds() {
        Random random = new Random(7);
        StoreIndex index = new StoreIndex();
        List<AttributeSet> store = new ArrayList<>(); // in write order, as the stock store's map
        for (int i = 0; i < 2_000; i++) {
            AttributeSet key = randomKey(random);
            if (store.remove(key)) {
                index.remove(key);
            }
            store.add(key);
            index.put(key);
            if (random.nextInt(5) == 0) {
                AttributeSet gone = store.remove(random.nextInt(store.size()));
                index.remove(gone);
            }
        }
        List<String> queries = new ArrayList<>();
        for (String kind : KINDS) {
            queries.addAll(List.of("/api/v1/" + kind, "/api/v1/namespaces/ns-1/" + kind, "/api/v1/namespaces/ns-2/" + kind + "/obj-3",
                    "/api/v1/" + kind + "?labelSelector=app%3Dkafka", "/api/v1/" + kind + "?labelSelector=app%21%3Dkafka",
                    "/api/v1/namespaces/ns-0/" + kind + "?labelSelector=tier", "/api/v1/" + kind + "?labelSelector=%21tier",
                    "/api/v1/" + kind + "?fieldSelector=metadata.name%3Dobj-1", "/api/v1/namespaces/*/" + kind + "/obj-2"));
        }
        queries.add("/api/v1/namespaces/ns-3");
        for (String path : queries) {
            AttributeSet query = EXTRACTOR.fromPath(path);
            List<AttributeSet> scanned = store.stream().filter(k -> k.matches(query)).collect(Collectors.toList());
            List<AttributeSet> indexed = index.candidates(query).stream().filter(k -> k.matches(query)).collect(Collectors.toList());
            assertThat(indexed).as(path).isEqualTo(scanned);
        }
        assertThat(index.candidates(EXTRACTOR.fromPath("/api/v1/pods"))).hasSizeLessThan(store.size());
    }

    @Test
    void aRemovedKeyIsNoLongerACandidateAndARewrittenOneComesLast() {
        StoreIndex index = new StoreIndex();
        AttributeSet a = key("pods", "ns", "a", "app", "kafka");
        AttributeSet b = key("pods", "ns", "b", "app", "kafka");
        index.put(a);
        index.put(b);
        index.remove(a);
        index.put(a);
        assertThat(index.candidates(EXTRACTOR.fromPath("/api/v1/namespaces/ns/pods"))).containsExactly(b, a);
        index.remove(b);
        assertThat(index.candidates(EXTRACTOR.fromPath("/api/v1/namespaces/ns/pods/b"))).isEmpty();
        index.clear();
        assertThat(index.candidates(EXTRACTOR.fromPath("/api/v1/pods"))).isEmpty();
    }

    private static AttributeSet randomKey(Random random) {
        String kind = KINDS.get(random.nextInt(KINDS.size()));
        String namespace = random.nextInt(10) == 0 ? null : "ns-" + random.nextInt(4);
        String name = "obj-" + random.nextInt(6);
        return random.nextBoolean() ? key(kind, namespace, name, "app", random.nextBoolean() ? "kafka" : "other")
                : key(kind, namespace, name, "tier", "gold");
    }

    /** A key as the stock store makes it from a stored object. */
    private static AttributeSet key(String plural, String namespace, String name, String label, String value) {
        AttributeSet key = new AttributeSet(new Attribute("plural", plural), new Attribute("version", "v1"),
                new Attribute("name", name), new Attribute("metadata.name", name), new Attribute("labels:" + label, value));
        return namespace == null ? key
                : key.add(new Attribute("namespace", namespace), new Attribute("metadata.namespace", namespace));
    }
}
