package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The drivers' Admin follows the CA it is handed: a new CA (made again by the TLS step) gives a new
 * client trusting it at once, the same CA keeps the client. Nothing connects: the address is never used.
 */
class ManagedAdminsTest {

    private static final String NOWHERE = "127.0.0.1:9";

    @Test
    void aNewCaCertificateGivesANewClientAndTheSameOneKeepsIt() {
        String first = new CertificateIssuer().newCa("payments", Instant.now()).certificate();
        String second = new CertificateIssuer().newCa("payments", Instant.now()).certificate();
        try (ManagedAdmins admins = new ManagedAdmins(Map.of(), false)) {
            assertThat(admins.of("payments", NOWHERE, Optional.empty())).as("no CA yet: no client").isEmpty();
            Admin trustingFirst = admins.of("payments", NOWHERE, Optional.of(first)).orElseThrow();
            assertThat(admins.of("payments", NOWHERE, Optional.of(first))).containsSame(trustingFirst);

            Admin trustingSecond = admins.of("payments", NOWHERE, Optional.of(second)).orElseThrow();

            assertThat(trustingSecond).as("a client made for the new CA").isNotSameAs(trustingFirst);
            assertThat(admins.of("payments", NOWHERE, Optional.of(second))).containsSame(trustingSecond);
        }
    }
}
