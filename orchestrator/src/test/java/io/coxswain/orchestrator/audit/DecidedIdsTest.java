package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The flat id table remembers what a plain map of (cluster, command id) → outcome would, for every form of id. */
class DecidedIdsTest {

    @Test
    void remembersWhatAMapWouldAcrossClustersAndIdForms() {
        Random random = new Random(7);
        DecidedIds ids = new DecidedIds();
        Map<String, Long> reference = new HashMap<>();
        List<String[]> asked = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String cluster = "c-" + random.nextInt(50);
            String id = switch (random.nextInt(6)) {
                case 5 -> random.nextBoolean() ? "" : "ünï-" + (char) ('a' + random.nextInt(26)) + "-\u4e2d" + random.nextInt(100); // invalid ids are decided (rejected) too
                case 0 -> UUID.randomUUID().toString().toUpperCase(); // not canonical: kept as a string
                case 1 -> "order-" + random.nextInt(10_000);           // any other id a producer chose
                case 2 -> i > 0 && !asked.isEmpty() ? asked.get(random.nextInt(asked.size()))[1] : UUID.randomUUID().toString(); // seen before, maybe on another cluster
                default -> UUID.randomUUID().toString();
            };
            long outcome = random.nextBoolean() ? 1 + random.nextInt(1_000_000) : -1 - random.nextInt(20);
            asked.add(new String[] {cluster, id});
            if (!reference.containsKey(cluster + "/" + id)) { // the fold remembers only a first decision
                ids.put(cluster, id, outcome);
                reference.put(cluster + "/" + id, outcome);
            }
        }
        for (String[] a : asked) {
            assertThat(ids.get(a[0], a[1])).as("%s on %s", a[1], a[0]).isEqualTo(reference.get(a[0] + "/" + a[1]));
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(ids.get("c-" + random.nextInt(60), UUID.randomUUID().toString())).isZero();
        }
        assertThat(ids.get("c-1", "never-decided")).isZero();
        // an invalid command's id can be longer than a char can count: its rejection is remembered all the same
        String huge = "x".repeat(70_000);
        ids.put("c-1", huge, -3);
        assertThat(ids.get("c-1", huge)).isEqualTo(-3);
        assertThat(ids.get("c-1", "x".repeat(70_000 - 65_536))).isZero();
    }

    @Test
    void aCanonicalUuidParsesToItsOwnBits() {
        for (int i = 0; i < 10_000; i++) {
            UUID u = UUID.randomUUID();
            assertThat(DecidedIds.Uuid.parse(u.toString())).containsExactly(u.getMostSignificantBits(), u.getLeastSignificantBits());
        }
        assertThat(DecidedIds.Uuid.parse("00000000-0000-0000-0000-000000000000")).containsExactly(0L, 0L);
        assertThat(DecidedIds.Uuid.parse("1-1-1-1-1")).as("UUID.fromString takes it, but it is not the canonical form").isNull();
        assertThat(DecidedIds.Uuid.parse("6F1C2F6A-8C2B-4C8E-9B1A-2D3E4F5A6B7C")).isNull();
        assertThat(DecidedIds.Uuid.parse("6f1c2f6a-8c2b-4c8e-9b1a-2d3e4f5a6b7g")).isNull();
        assertThat(DecidedIds.Uuid.parse("6f1c2f6a18c2b-4c8e-9b1a-2d3e4f5a6b7c")).isNull();
    }
}
