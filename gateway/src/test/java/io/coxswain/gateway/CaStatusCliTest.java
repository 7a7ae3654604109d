package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What {@code cox get} shows of status.ca, the CA a cluster runs on, as the executor reports it (run through CoxCliHarness). */
class CaStatusCliTest extends CoxCliHarness {

    /** A SHA-256 fingerprint as openssl prints it: 32 pairs, here 01:02:...:1F:20. */
    private static final String SIGNING = IntStream.rangeClosed(1, 32).mapToObj(i -> String.format("%02X", i)).collect(Collectors.joining(":"));
    private static final String NEXT = SIGNING.replace("01:", "A1:");

    /** What the executor's TLS step reports when the cluster's CA changes (a CaObserved). */
    private static void caObserved(String cluster, String... trusted) {
        h.observe(cluster, "{\"type\":\"CaObserved\",\"fingerprint\":\"" + SIGNING + "\",\"notAfter\":\"2031-12-06T09:30:00Z\","
                + "\"trusted\":[\"" + String.join("\",\"", trusted) + "\"]}");
    }

    @Test
    void getShowsTheSigningCaAndSaysWhenMoreThanOneIsTrusted() throws Exception {
        assertThat(cox("create-cluster", "vault", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("get", "vault").out()).as("not reported yet: nothing said").doesNotContain("CA:");

        caObserved("vault", SIGNING);
        assertThat(cox("get", "vault").out()).contains("\nCA: 01:02:03:04:05:06:07:08... valid until 2031-12-06\n");
        JsonNode ca = GatewayHarness.JSON.readTree(cox("get", "vault", "-o", "json").out()).at("/status/ca");
        assertThat(ca.get("fingerprint").asText()).as("the whole fingerprint in JSON").isEqualTo(SIGNING);
        assertThat(ca.get("notAfter").asText()).isEqualTo("2031-12-06T09:30:00Z");
        assertThat(ca.get("trusted")).hasSize(1);
        assertThat(ca.hasNonNull("since")).isTrue();
        assertThat(cox("get", "vault", "-o", "yaml").out()).contains("fingerprint: \"" + SIGNING + "\"");

        // a replacement's first step: a second CA trusted beside the one that signs
        caObserved("vault", SIGNING, NEXT);
        assertThat(cox("get", "vault").out()).contains("\nCA: 01:02:03:04:05:06:07:08... valid until 2031-12-06"
                + " (2 CAs trusted: a renewal or replacement is under way)\n");
    }
}
