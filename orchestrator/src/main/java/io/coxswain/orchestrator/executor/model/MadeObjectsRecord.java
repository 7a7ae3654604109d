package io.coxswain.orchestrator.executor.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ConfigMap {@code <cluster>-made-objects}: the objects of the cluster (one {@code Kind/name} a line, sorted) that
 * Coxswain's last finished pass made or found in place. It is the evidence a missing object is judged by: one listed
 * here was there and has been deleted since (a repair), one not listed never was (a first creation, as when a newer
 * Coxswain manages a kind of object an older one did not make). Pure.
 */
public final class MadeObjectsRecord {

    /** The data key holding the lines. */
    public static final String OBJECTS_KEY = "objects";

    private MadeObjectsRecord() {
    }

    /** The record listing {@code keys}, with the cluster's own labels and its {@code spec.labels} ({@link ObjectLabels}). */
    public static ConfigMap build(ClusterNames names, Collection<String> keys, Map<String, String> clusterLabels) {
        ConfigMap record = new ConfigMapBuilder()
                .withNewMetadata().withName(names.madeObjectsConfigMap()).withNamespace(names.namespace())
                .withLabels(names.labels(ClusterNames.MADE_OBJECTS_COMPONENT)).endMetadata()
                .withData(Map.of(OBJECTS_KEY, String.join("\n", new TreeSet<>(keys)) + "\n"))
                .build();
        return ObjectLabels.onBuilt(record, clusterLabels);
    }

    /** The keys a live record lists; none for no record (or one emptied by hand). */
    public static Set<String> keys(ConfigMap record) {
        String lines = record == null || record.getData() == null ? null : record.getData().get(OBJECTS_KEY);
        if (lines == null) {
            return Set.of();
        }
        return Arrays.stream(lines.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
