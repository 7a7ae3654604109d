package io.coxswain.orchestrator.operations;

import static io.coxswain.orchestrator.operations.FakeAdmin.done;
import static io.coxswain.orchestrator.operations.FakeAdmin.failed;
import static io.coxswain.orchestrator.operations.FakeAdmin.result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.DescribeFeaturesResult;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.UpdateFeaturesResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;

/**
 * The controller quorum of a {@link FakeKafka} and the features it finalizes ({@link FakeAdmin} routes describeMetadataQuorum,
 * describeFeatures and updateFeatures here).
 */
final class FakeControllers {

    private static final long QUORUM_END = 10_000;

    private final List<Integer> controllers = new ArrayList<>();
    private final Map<Integer, Long> quorumLag = new HashMap<>();
    private int leader = -1;
    /** Feature name → {finalized level, highest level the nodes support}. */
    private final Map<String, short[]> features = new TreeMap<>();
    private final List<Map<String, FeatureUpdate>> featureUpdates = new ArrayList<>();

    void add(int... ids) {
        for (int id : ids) {
            controllers.add(id);
        }
        if (leader < 0 && ids.length > 0) {
            leader = ids[0];
        }
    }

    void leader(int id) {
        leader = id;
    }

    void lag(int controller, long records) {
        quorumLag.put(controller, records);
    }

    void feature(String name, int finalizedLevel, int supportedMax) {
        features.put(name, new short[] {(short) finalizedLevel, (short) supportedMax});
    }

    short finalizedLevel(String feature) {
        return features.get(feature)[0];
    }

    List<Map<String, FeatureUpdate>> featureUpdates() {
        return featureUpdates;
    }

    public DescribeMetadataQuorumResult describeMetadataQuorum(DescribeMetadataQuorumOptions options) {
        List<QuorumInfo.ReplicaState> voters = new ArrayList<>();
        for (int id : controllers) {
            long end = QUORUM_END - quorumLag.getOrDefault(id, 0L);
            voters.add(result(QuorumInfo.ReplicaState.class, id, Uuid.ZERO_UUID, end, OptionalLong.of(1L), OptionalLong.of(1L)));
        }
        QuorumInfo quorum = result(QuorumInfo.class, leader, 7L, QUORUM_END, voters, List.of(), Map.of());
        return result(DescribeMetadataQuorumResult.class, done(quorum));
    }

    public DescribeFeaturesResult describeFeatures(DescribeFeaturesOptions options) {
        Map<String, FinalizedVersionRange> finalized = new TreeMap<>();
        Map<String, SupportedVersionRange> supported = new TreeMap<>();
        features.forEach((name, levels) -> {
            finalized.put(name, new FinalizedVersionRange((short) 1, levels[0]));
            supported.put(name, new SupportedVersionRange((short) 1, levels[1]));
        });
        return result(DescribeFeaturesResult.class, done(result(FeatureMetadata.class, finalized, Optional.of(1L), supported)));
    }

    /** As the controller does: a level beyond what the nodes support is refused. */
    public UpdateFeaturesResult updateFeatures(Map<String, FeatureUpdate> updates, UpdateFeaturesOptions options) {
        featureUpdates.add(Map.copyOf(updates));
        Map<String, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        updates.forEach((name, update) -> {
            short[] levels = features.get(name);
            if (levels == null || update.maxVersionLevel() > levels[1]) {
                futures.put(name, failed(new InvalidUpdateVersionException(name + " level " + update.maxVersionLevel() + " is not supported")));
            } else {
                levels[0] = update.maxVersionLevel();
                futures.put(name, done(null));
            }
        });
        return result(UpdateFeaturesResult.class, futures);
    }

    @Override
    public String toString() {
        return controllers.toString();
    }
}
