package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.gateway.quota.CommandQuota;
import org.junit.jupiter.api.Test;

/** How {@code --command-rate} and the authentication options are read. */
class GatewayOptionsTest {

    @Test
    void theCommandRateOptionReadsARateAndAnOptionalBurst() {
        CommandQuota plain = GatewayOptions.quota("20");
        assertThat(plain.perSecond()).isEqualTo(20);
        assertThat(plain.burst()).as("twice the rate by default").isEqualTo(40);
        CommandQuota withBurst = GatewayOptions.quota("0.5:3");
        assertThat(withBurst.perSecond()).isEqualTo(0.5);
        assertThat(withBurst.burst()).isEqualTo(3);
        assertThat(GatewayOptions.quota("0.2").burst()).as("at least 1").isEqualTo(1);
        assertThatThrownBy(() -> GatewayOptions.quota("fast")).hasMessageContaining("PER_SECOND or PER_SECOND:BURST");
        assertThatThrownBy(() -> GatewayOptions.quota("1:2:3")).hasMessageContaining("PER_SECOND or PER_SECOND:BURST");
        assertThatThrownBy(() -> GatewayOptions.quota("0")).hasMessageContaining("positive rate");
    }

    @Test
    void runNeedsCredentialsOrAnExplicitNoAuthAndRefusesBoth() throws Exception {
        GatewayOptions none = new GatewayOptions();
        assertThatThrownBy(() -> RunAuth.resolve(none)).hasMessageContaining("--tokens-file FILE").hasMessageContaining("--jwt-keys FILE|URL")
                .hasMessageContaining("--insecure-no-auth");

        java.nio.file.Path jwks = java.nio.file.Files.createTempFile("jwks", ".json");
        java.nio.file.Files.writeString(jwks, io.coxswain.gateway.auth.jwt.TestJwts.jwks(io.coxswain.gateway.auth.jwt.TestJwts.rsa("k1")));
        GatewayOptions both = new GatewayOptions();
        both.insecureNoAuth = true;
        both.jwtKeys = jwks.toString();
        assertThatThrownBy(() -> RunAuth.resolve(both)).hasMessageContaining("--insecure-no-auth contradicts");
        assertThatThrownBy(() -> DevAuth.resolve(both, java.nio.file.Files.createTempDirectory("dev"))).hasMessageContaining("--insecure-no-auth contradicts");

        GatewayOptions jwtOnly = new GatewayOptions();
        jwtOnly.jwtKeys = jwks.toString();
        assertThatThrownBy(() -> RunAuth.resolve(jwtOnly)).as("keys without issuer and audience").hasMessageContaining("--jwt-issuer and --jwt-audience");
        jwtOnly.jwtIssuer = "https://idp.example";
        jwtOnly.jwtAudience = "coxswain";
        jwtOnly.jwtPrincipalClaim = "sub";
        assertThat(RunAuth.resolve(jwtOnly).describe()).isEqualTo("JWTs from https://idp.example for audience coxswain (keys: " + jwks
                + ", principal: claim sub)");

        GatewayOptions issuerAlone = new GatewayOptions();
        issuerAlone.jwtIssuer = "https://idp.example";
        issuerAlone.insecureNoAuth = true;
        assertThatThrownBy(() -> RunAuth.resolve(issuerAlone)).hasMessageContaining("need --jwt-keys");
    }
}
