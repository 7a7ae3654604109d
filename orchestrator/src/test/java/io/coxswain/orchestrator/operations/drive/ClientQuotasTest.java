package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.QuotaSpec;
import io.coxswain.avro.state.UserSpec;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.junit.jupiter.api.Test;

/** A user's quotas as Kafka's quota keys, and the alterations that bring the cluster's to them; what Kafka makes of them is the end-to-end test's. */
class ClientQuotasTest {

    @Test
    void theStatesQuotasAreKafkasKeysAndAUserWithoutQuotasHasNone() {
        assertThat(ClientQuotas.desired(new UserSpec(List.of(), new QuotaSpec(1_048_576L, null, 25.0), "TLS", null, null)))
                .containsExactly(Map.entry("producer_byte_rate", 1_048_576.0), Map.entry("request_percentage", 25.0));
        assertThat(ClientQuotas.desired(new UserSpec(List.of(), null, "TLS", null, null))).isEmpty();
    }

    @Test
    void theAlterationsSetWhatDiffersRemoveWhatIsNoLongerAskedForAndLeaveOtherKeysAlone() {
        Map<String, Double> live = Map.of("producer_byte_rate", 1_000.0, "consumer_byte_rate", 2_000.0, "controller_mutation_rate", 5.0);
        List<ClientQuotaAlteration.Op> ops = ClientQuotas.ops(Map.of("producer_byte_rate", 1_000.0, "request_percentage", 50.0), live);
        assertThat(ops).containsExactlyInAnyOrder(new ClientQuotaAlteration.Op("consumer_byte_rate", null),
                new ClientQuotaAlteration.Op("request_percentage", 50.0));
        assertThat(ClientQuotas.describe(ops)).isEqualTo("consumer_byte_rate removed, request_percentage=50");
        assertThat(ClientQuotas.ops(Map.of("producer_byte_rate", 1_000.0), Map.of("producer_byte_rate", 1_000.0))).isEmpty();
        assertThat(ClientQuotas.describe(List.of(new ClientQuotaAlteration.Op("request_percentage", 12.5)))).isEqualTo("request_percentage=12.5");
    }
}
