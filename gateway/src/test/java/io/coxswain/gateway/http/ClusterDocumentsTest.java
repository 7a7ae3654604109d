package io.coxswain.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.gateway.readmodel.Freshness;
import io.coxswain.orchestrator.audit.StateJson;
import io.coxswain.orchestrator.fold.Evolve;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/clusters/{id} answers what rendering the state afresh would, though each state is rendered once. */
class ClusterDocumentsTest {

    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

    private static ClusterState created() {
        return Evolve.apply(null, Commands.on("payments").issuedAt(T).createCluster("4.1.0", 3, 3, "10Gi"));
    }

    /** The document as the gateway wrote it before the memo: the state's tree plus the freshness tree. */
    private static String afresh(ClusterState state, Freshness f, Instant now) throws Exception {
        ObjectNode n = StateJson.node(state);
        n.set("freshness", Views.freshness(f, now));
        return Replies.JSON.writeValueAsString(n);
    }

    private static String text(ClusterDocuments documents, ClusterState state, Freshness f, Instant now) {
        return documents.document(state, null, f, now).toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBytesAreThoseOfAFreshRenderingForEveryKindOfFreshness() throws Exception {
        ClusterState state = Evolve.apply(created(), Commands.on("payments").issuedAt(T.plusSeconds(5))
                .createTopic("orders", 6, 3, Map.of("retention.ms", "604800000", "cleanup.policy", "compact")));
        ClusterDocuments documents = new ClusterDocuments();
        Instant now = T.plusSeconds(60);
        for (Freshness f : List.of(
                new Freshness(null, false, -1),                              // never caught up
                new Freshness(now.minusMillis(1_234), true, 0),              // caught up 1.234 s ago
                new Freshness(now.plusMillis(50), true, 3),                  // clock skew: never negative
                new Freshness(now.minusSeconds(12_345_678), false, 42),      // long outage: 1.2345678E7
                new Freshness(now.minusMillis(100), false, 7))) {
            assertThat(text(documents, state, f, now)).as("freshness %s", f).isEqualTo(afresh(state, f, now));
        }
    }

    @Test
    void aNewVersionOfTheClusterIsRenderedAgainAndAnOldOneIsNotServed() throws Exception {
        ClusterDocuments documents = new ClusterDocuments();
        Freshness f = new Freshness(T, true, 0);
        ClusterState v1 = created();
        String first = text(documents, v1, f, T);
        ClusterState v2 = Evolve.apply(v1, Commands.on("payments").issuedAt(T.plusSeconds(1)).scaleBrokers(5));

        String second = text(documents, v2, f, T);

        assertThat(second).isEqualTo(afresh(v2, f, T)).isNotEqualTo(first);
        assertThat(StateJson.MAPPER.readTree(second).at("/spec/brokers").asInt()).isEqualTo(5);
        // the freshness block is written per request, around the memo
        // the same freshness a millisecond on is a new body, not the one sent a moment ago
        assertThat(text(documents, v2, f, T.plusMillis(1))).isEqualTo(afresh(v2, f, T.plusMillis(1))).isNotEqualTo(second);
        assertThat(text(documents, v2, f, T)).isEqualTo(second);
        String later = text(documents, v2, new Freshness(T, false, 9), T.plusSeconds(3));
        assertThat(StateJson.MAPPER.readTree(later).at("/freshness/staleSeconds").asDouble()).isEqualTo(3.0);
        assertThat(StateJson.MAPPER.readTree(later).at("/freshness/kafkaReachable").asBoolean()).isFalse();
    }
}
