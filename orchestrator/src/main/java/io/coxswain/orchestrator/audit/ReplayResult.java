package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The states a replay reached, by cluster id, and its counts. */
public record ReplayResult(ReplaySummary summary, SortedMap<String, ClusterState> states) {

    public ReplayResult {
        states = Collections.unmodifiableSortedMap(new TreeMap<>(states));
    }

    /** {@code {"summary": {...}, "states": {"<clusterId>": <ClusterState as JSON>, ...}}} */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("summary", summary.toJson());
        ObjectNode s = o.putObject("states");
        states.forEach((id, state) -> s.set(id, StateJson.node(state)));
        return o;
    }
}
