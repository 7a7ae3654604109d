package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.gateway.GatewayHarness.Reply;

/** Four-eyes situations the metrics, alert and history tests build alike: alice proposes, bob (the other principal) approves. */
final class ApprovalScenes {

    private ApprovalScenes() {
    }

    /** A policy under which ScaleBrokers and DeleteTopic wait for one approval by someone else, for 24 hours. */
    static void requireApprovalOfScaleAndDeleteTopic(GatewayHarness h, String cluster) {
        Reply r = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetApprovalPolicy\",\"payload\":"
                + "{\"rules\":[{\"commands\":[\"ScaleBrokers\",\"DeleteTopic\"],\"approvals\":1}],\"expiresAfterHours\":24}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Alice's command {@code commandId}, which the policy covers: recorded as a proposal (202), not applied. */
    static void propose(GatewayHarness h, String cluster, String commandId, String type, String payload, String more) {
        Reply r = h.post("/v1/commands?wait=true", "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"" + cluster + "\",\"type\":\"" + type
                + "\"," + more + "\"payload\":" + payload + "}");
        assertThat(r.status()).as("proposed: " + r).isEqualTo(202);
    }

    /** A ScaleBrokers to 5 proposed as decided on the cluster's version now (unchangedSinceVersion), so any change after it refuses it. */
    static void proposeScaleUnchangedSinceNow(GatewayHarness h, String cluster, String commandId) {
        long version = h.get("/v1/clusters/" + cluster).json().get("version").asLong();
        propose(h, cluster, commandId, "ScaleBrokers", "{\"brokers\":5}", "\"unchangedSinceVersion\":" + version + ",");
    }

    /** A topic created meanwhile, then bob's approval: the proposal, decided again, ends REFUSED; the approval's answer. */
    static Reply changeMeanwhileThenApprove(GatewayHarness h, String cluster, String commandId) {
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "meanwhile")).status()).isEqualTo(200);
        Reply approved = h.postAsOther("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"ApproveCommand\",\"payload\":"
                + "{\"commandId\":\"" + commandId + "\"}}");
        assertThat(approved.json().at("/proposal/state").asText()).as(approved.toString()).isEqualTo("REFUSED");
        return approved;
    }
}
