package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.commands.signing.CommandKeys;
import io.coxswain.commands.signing.CommandSigner;
import io.coxswain.commands.signing.SignatureHeader;
import io.coxswain.commands.signing.SignatureVerifier;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** DECIDE behind the signature check, through the real topology, with signatures required and not. */
class SignedCommandsTopologyTest {

    private final TestSigningKeys keys = new TestSigningKeys();
    private int clock;

    private CommandBuilder on(String cluster) {
        return Commands.on(cluster).issuer("billing").issuedAt(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(clock++));
    }

    private TopologyHarness harness(boolean required) {
        return new TopologyHarness(new Admission(new SignatureVerifier(keys.keys, required)));
    }

    @Test
    void requiredSignaturesRejectUnsignedAndForgedCommandsWithoutBurningTheirIds() {
        try (TopologyHarness h = harness(true)) {
            assertThat(acceptedVersion(h.send(on("payments").createCluster("4.1.0", 3, 3, "10Gi"), keys.ops()))).isEqualTo(1);
            ClusterState before = h.state("payments");
            h.states.readValuesToList();

            CommandRejected unsigned = rejected(h.send(on("payments").scaleBrokers(5), null));
            assertThat(unsigned.getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            assertThat(unsigned.getReason()).contains("not signed").contains("test-keys");

            Command real = on("payments").commandId("cmd-42").scaleBrokers(7);
            Command forged = on("payments").commandId("cmd-42").scaleBrokers(1);
            Decision refusal = h.send(forged, keys.forger());
            // marked as refused before DECIDE, and naming its own record, so no one takes it for the id's outcome
            assertThat(refusal.getAdmitted()).isFalse();
            assertThat(refusal.getCommandOffset()).isEqualTo(2L);
            CommandRejected forgery = rejected(refusal);
            assertThat(forgery.getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            assertThat(forgery.getReason()).contains("key 'ops'").contains("does not match the record's bytes");

            assertThat(h.state("payments")).isEqualTo(before);
            assertThat(h.states.readValuesToList()).isEmpty();

            Decision accepted = h.send(real, keys.service());
            assertThat(accepted.getDuplicate()).isFalse();
            assertThat(accepted.getAdmitted()).isTrue();
            assertThat(accepted.getCommandOffset()).isEqualTo(3L);
            assertThat(acceptedVersion(accepted)).isEqualTo(2);
            assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(7);
            Decision repeat = h.send(real, keys.service());
            assertThat(repeat.getDuplicate()).isTrue();
            assertThat(repeat.getCommandOffset()).as("a repeat names its own record, not the first one's").isEqualTo(4L);
        }
    }

    @Test
    void aSignedRecordWhoseBytesChangedIsRejected() {
        try (TopologyHarness h = harness(true)) {
            Command create = on("orders").createCluster("4.1.0", 3, 3, "10Gi");
            byte[] value = h.codecs.commands().encode(create);
            var headers = TestSigningKeys.signed(keys.service(), value);
            byte[] tampered = h.codecs.commands().encode(on("orders").commandId(create.getCommandId()).createCluster("4.1.0", 3, 9, "10Gi"));
            h.pipeRaw("orders", tampered, headers);
            assertThat(rejected(h.nextDecision()).getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            assertThat(h.state("orders")).isNull();
        }
    }

    @Test
    void aKeyBoundToIssuersSignsOnlyCommandsNamingOneOfThem() {
        String secret = java.util.Base64.getEncoder().encodeToString("billing-team-secret-0123456789abcdef".getBytes());
        CommandKeys bound = CommandKeys.parse("bound-keys", List.of("node hmac-sha256 " + secret + " issuers=*",
                "billing-key hmac-sha256 " + secret + " issuers=billing,ops"));
        try (TopologyHarness h = new TopologyHarness(new Admission(new SignatureVerifier(bound, true)))) {
            CommandSigner billingKey = CommandSigner.hmac(bound, "billing-key");
            assertThat(acceptedVersion(h.send(on("payments").createCluster("4.1.0", 3, 3, "10Gi"), billingKey))).isEqualTo(1);
            assertThat(acceptedVersion(h.send(on("payments").issuer("ops").scaleBrokers(4), billingKey))).isEqualTo(2);

            // the holder of billing-key approving under a second name: the signature verifies, the name is not the key's
            Decision asMallory = h.send(on("payments").issuer("mallory").scaleBrokers(5), billingKey);
            assertThat(asMallory.getAdmitted()).isFalse();
            CommandRejected refused = rejected(asMallory);
            assertThat(refused.getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            assertThat(refused.getReason()).contains("issuer 'mallory'", "key 'billing-key' may sign only for issuers=billing,ops", "bound-keys");
            assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(4);

            assertThat(acceptedVersion(h.send(on("payments").issuer("mallory").scaleBrokers(5), CommandSigner.hmac(bound, "node"))))
                    .as("issuers=* signs for anyone, as the node's own key must").isEqualTo(3);
        }
    }

    @Test
    void withoutTheRequirementUnsignedCommandsPassButBadSignaturesStillFail() {
        try (TopologyHarness h = harness(false)) {
            assertThat(acceptedVersion(h.send(on("payments").createCluster("4.1.0", 3, 3, "10Gi"), null))).isEqualTo(1);
            assertThat(acceptedVersion(h.send(on("payments").scaleBrokers(4), keys.ops()))).isEqualTo(2);

            assertThat(rejected(h.send(on("payments").scaleBrokers(5), keys.forger())).getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            Command garbled = on("payments").scaleBrokers(6);
            RecordHeaders headers = new RecordHeaders();
            headers.add(SignatureHeader.NAME, "no-such-key:hmac-sha256:AAAA".getBytes());
            h.pipeRaw("payments", h.codecs.commands().encode(garbled), headers);
            CommandRejected unknown = rejected(h.nextDecision());
            assertThat(unknown.getCode()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
            assertThat(unknown.getReason()).contains("key 'no-such-key'");
            assertThat(h.state("payments").getVersion()).isEqualTo(2);
            assertThat(h.state("payments").getSpec().getBrokers()).isEqualTo(4);
        }
    }
}
