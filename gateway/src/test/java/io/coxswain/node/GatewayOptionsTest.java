package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.gateway.quota.CommandQuota;
import org.junit.jupiter.api.Test;

/** How {@code --command-rate} is read. */
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
}
