package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.StepState;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.util.Map;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

/**
 * The last step of a rolling upgrade: once every node runs the new version, raise the cluster's
 * {@code metadata.version} to the highest level the nodes support. Before that, a node of the old
 * version may still come back, so the bump waits until no pod is outdated; the controller refuses a
 * level that any registered node does not support, which is the guard against a wrong answer here.
 * Repeating it is harmless: at the target level it only records that there is nothing to do.
 */
final class MetadataVersionBump {

    static final String STEP = "bump metadata.version";
    static final String FEATURE = "metadata.version";

    private MetadataVersionBump() {
    }

    static void run(DriveContext c) {
        FeatureMetadata features = AdminCalls.await("describeFeatures", c.admin().describeFeatures().featureMetadata(), c.settings().callTimeout());
        SupportedVersionRange supported = features.supportedFeatures().get(FEATURE);
        FinalizedVersionRange finalized = features.finalizedFeatures().get(FEATURE);
        if (supported == null || finalized == null) {
            c.recorder().step(c.op(), STEP, StepState.FINISHED, null, "the cluster reports no " + FEATURE + "; left as it is", null, null);
            return;
        }
        short current = finalized.maxVersionLevel();
        short target = supported.maxVersion();
        if (current >= target) {
            c.recorder().step(c.op(), STEP, StepState.FINISHED, null,
                    FEATURE + " already at level " + current + ", the highest the nodes support", null, null);
            return;
        }
        c.recorder().step(c.op(), STEP, StepState.STARTED, null, FEATURE + " level " + current + " → " + target, null, null);
        AdminCalls.await("updateFeatures(" + FEATURE + "=" + target + ")", c.admin().updateFeatures(
                Map.of(FEATURE, new FeatureUpdate(target, FeatureUpdate.UpgradeType.UPGRADE)), new UpdateFeaturesOptions()).all(),
                c.settings().callTimeout());
        c.recorder().step(c.op(), STEP, StepState.FINISHED, null, FEATURE + " raised from level " + current + " to " + target, null, null);
    }
}
