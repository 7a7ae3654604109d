package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The drivers' Admin follows the access it is handed: a new CA (made again by the TLS step) or a new
 * Coxswain certificate gives a new client at once, the same ones keep the client; a cluster forgotten (deleted,
 * or handed to another executor) has its client closed. Nothing connects: the address is never used.
 */
class ManagedAdminsTest {

    private static final String NOWHERE = "127.0.0.1:9";

    @Test
    void aNewCaCertificateGivesANewClientAndTheSameOneKeepsIt() {
        ClusterAccess first = access(new CertificateIssuer().newCa("payments", Instant.now()));
        ClusterAccess second = access(new CertificateIssuer().newCa("payments", Instant.now()));
        try (ManagedAdmins admins = new ManagedAdmins(Map.of(), false)) {
            assertThat(admins.of("payments", NOWHERE, Optional.empty())).as("no CA yet: no client").isEmpty();
            Admin trustingFirst = admins.of("payments", NOWHERE, Optional.of(first)).orElseThrow();
            assertThat(admins.of("payments", NOWHERE, Optional.of(first))).containsSame(trustingFirst);

            Admin trustingSecond = admins.of("payments", NOWHERE, Optional.of(second)).orElseThrow();

            assertThat(trustingSecond).as("a client made for the new CA").isNotSameAs(trustingFirst);
            assertThat(admins.of("payments", NOWHERE, Optional.of(second))).containsSame(trustingSecond);
        }
    }

    @Test
    void aNewOperatorCertificateGivesANewClientPresentingIt() {
        CertificateIssuer issuer = new CertificateIssuer();
        KeyMaterial ca = issuer.newCa("payments", Instant.now());
        ClusterAccess access = access(ca);
        ClusterAccess renewed = new ClusterAccess(ca.certificate(), issuer.client(ca, "coxswain-operator", Instant.now()), ca,
                List.of(ca.certificate()), issuer);
        assertThat(access.clientConfig(false)).containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", access.operator().certificate());
        try (ManagedAdmins admins = new ManagedAdmins(Map.of(), false)) {
            Admin before = admins.of("payments", NOWHERE, Optional.of(access)).orElseThrow();
            assertThat(admins.of("payments", NOWHERE, Optional.of(renewed)).orElseThrow()).isNotSameAs(before);
        }
    }

    @Test
    void aForgottenClustersClientIsClosedAndANewOneMadeWhenAskedAgain() throws Exception {
        ClusterAccess access = access(new CertificateIssuer().newCa("payments", Instant.now()));
        try (ManagedAdmins admins = new ManagedAdmins(Map.of(), false)) {
            Admin before = admins.of("payments", NOWHERE, Optional.of(access)).orElseThrow();
            Admin other = admins.of("orders", NOWHERE, Optional.of(access)).orElseThrow();

            admins.forget("payments");

            assertThatThrownBy(() -> before.describeCluster().clusterId().get(5, TimeUnit.SECONDS)).as("closed: it takes no new call")
                    .hasRootCauseMessage("Cannot accept new calls when AdminClient is closing.");
            assertThat(admins.of("orders", NOWHERE, Optional.of(access))).as("another cluster's kept").containsSame(other);
            assertThat(admins.of("payments", NOWHERE, Optional.of(access)).orElseThrow()).isNotSameAs(before);
        }
    }

    private static ClusterAccess access(KeyMaterial ca) {
        CertificateIssuer issuer = new CertificateIssuer();
        return new ClusterAccess(ca.certificate(), issuer.client(ca, "coxswain-operator", Instant.now()), ca, List.of(ca.certificate()), issuer);
    }
}
