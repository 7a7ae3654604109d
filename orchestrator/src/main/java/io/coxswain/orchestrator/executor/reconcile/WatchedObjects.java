package io.coxswain.orchestrator.executor.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Coxswain's objects as the executor's watches last saw them. A pass that begins from these lists
 * asks the API server nothing about objects that have not changed: at a thousand clusters, a
 * resync that listed every kind of every cluster spent most of its CPU decoding the same
 * unchanged objects again (bench/, JFR). The lists are as fresh as the watch: whatever a pass
 * decides from them is checked against a fresh read before anything is written (see
 * {@link ObjectApplier#apply}), and every change the watch hears of starts another pass.
 */
public interface WatchedObjects {

    /** Watches nothing: every list goes to the API server. */
    WatchedObjects NONE = new WatchedObjects() {
        @Override
        public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
            return null;
        }
    };

    /**
     * The objects of {@code kind} in {@code namespace} carrying every one of {@code labels}, or null when
     * this kind is not watched or its watch has not yet listed everything once.
     */
    <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels);
}
