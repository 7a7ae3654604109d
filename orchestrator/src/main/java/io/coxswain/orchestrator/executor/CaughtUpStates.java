package io.coxswain.orchestrator.executor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The clusters' latest states (as a reader keeps them: {@code V}) read from some partitions of the state topic, each partition answered for only once it is
 * read up to the end it had when it was opened: before that, a state read may be older than one further on, and a reader
 * that acted on it would act on the past. Written by one reading thread, read by any.
 */
final class CaughtUpStates<V> {

    private final Map<TopicPartition, Map<String, V>> partitions = new ConcurrentHashMap<>();
    private final Set<TopicPartition> caughtUp = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> endAtOpening = new ConcurrentHashMap<>();

    /** Starts keeping these partitions, empty, to be read from the start up to these ends. */
    void open(Map<TopicPartition, Long> ends) {
        ends.keySet().forEach(tp -> partitions.put(tp, new ConcurrentHashMap<>()));
        endAtOpening.putAll(ends);
    }

    /** @return the clusters of these partitions, which are kept no more */
    List<String> close(Collection<TopicPartition> closed) {
        List<String> clusters = new ArrayList<>();
        for (TopicPartition tp : closed) {
            caughtUp.remove(tp);
            Map<String, V> states = partitions.remove(tp);
            if (states != null) {
                clusters.addAll(states.keySet());
            }
            endAtOpening.remove(tp);
        }
        return clusters;
    }

    Set<TopicPartition> open() {
        return Set.copyOf(partitions.keySet());
    }

    /** The states of an open partition, caught up or not, to read records into; null for one not open. */
    Map<String, V> of(TopicPartition tp) {
        return partitions.get(tp);
    }

    boolean caughtUp(TopicPartition tp) {
        return caughtUp.contains(tp);
    }

    /** The cluster's latest state, if its partition is open and caught up. */
    Optional<V> state(String clusterId) {
        for (TopicPartition tp : caughtUp) {
            V s = partitions.getOrDefault(tp, Map.of()).get(clusterId);
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Every cluster of the caught-up partitions. */
    List<String> clusters() {
        List<String> ids = new ArrayList<>();
        caughtUp.forEach(tp -> ids.addAll(partitions.getOrDefault(tp, Map.of()).keySet()));
        return ids;
    }

    Set<Integer> caughtUpPartitions() {
        Set<Integer> numbers = new TreeSet<>();
        caughtUp.forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }

    /** @return the partitions the consumer has just read up to their end at opening, now answered for */
    List<TopicPartition> catchUp(KafkaConsumer<?, ?> consumer) {
        List<TopicPartition> now = new ArrayList<>();
        for (TopicPartition tp : partitions.keySet()) {
            if (!caughtUp.contains(tp) && consumer.position(tp) >= endAtOpening.getOrDefault(tp, 0L)) {
                caughtUp.add(tp);
                now.add(tp);
            }
        }
        return now;
    }
}
