package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void createAndRead() {
        try (GatewayHarness h = GatewayHarness.start(GatewayHarness.freshTopics())) {
            GatewayHarness.Reply r = h.post("/v1/commands?wait=true", GatewayHarness.create("smoke"));
            System.out.println(r);
            assertThat(r.status()).isEqualTo(200);
            System.out.println(h.get("/v1/clusters/smoke"));
            System.out.println(h.get("/v1/clusters"));
            System.out.println(h.get("/v1/clusters/smoke/history"));
            System.out.println(h.get("/v1/commands/" + r.json().get("commandId").asText()));
            System.out.println(h.get("/health/ready"));
            System.out.println(h.get("/nope"));
            System.out.println(h.send(h.request("/v1/clusters").DELETE().build()));
        }
    }
}
