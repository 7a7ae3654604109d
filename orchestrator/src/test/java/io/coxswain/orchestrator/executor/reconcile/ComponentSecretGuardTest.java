package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which Secrets a platform component's {@code secrets} names are kept out of its pods: every one Coxswain made with key
 * material in it, told by the labels Coxswain puts on it (the Secrets here are built by the code that makes them), whatever
 * cluster it belongs to and whatever its name; and one not made yet that Coxswain may still make as a user's. A Secret of
 * the user's own, and a cluster's public CA certificate, are mounted.
 */
class ComponentSecretGuardTest {

    /** Another cluster in the namespace the component's cluster shares. */
    private static final ClusterNames ORDERS = ClusterNames.of("orders", "kafka");
    private static final KeyMaterial MATERIAL = new KeyMaterial("CERT", "KEY");

    @Test
    void anotherClustersUserSecretIsWithheldWhetherItHoldsACertificateOrAPassword() {
        assertThat(ComponentSecretGuard.whyWithheld("orders-user-etl", TlsSecrets.client(ORDERS, "etl", "CA", MATERIAL)))
                .hasValueSatisfying(why -> assertThat(why).contains("the credentials of user etl of cluster orders", "Coxswain's labels"));
        assertThat(ComponentSecretGuard.whyWithheld("orders-user-etl", TlsSecrets.scramUser(ORDERS, "etl", "CA", "pw", Map.of())))
                .hasValueSatisfying(why -> assertThat(why).contains("user etl of cluster orders"));
    }

    @Test
    void aClustersTlsKeysAreWithheldAndItsCaCertificateIsNot() {
        assertThat(ComponentSecretGuard.whyWithheld("orders-operator-tls", TlsSecrets.client(ORDERS, null, "CA", MATERIAL)))
                .hasValueSatisfying(why -> assertThat(why).contains("TLS keys of cluster orders"));
        assertThat(ComponentSecretGuard.whyWithheld("orders-kafka-tls", TlsSecrets.nodes(ORDERS, "CA", Map.of("orders-broker-0", MATERIAL), 0)))
                .isPresent();
        assertThat(ComponentSecretGuard.whyWithheld("orders-cluster-ca-cert", TlsSecrets.caCertificate(ORDERS, "CA")))
                .as("a CA certificate alone is what applications mount to trust a cluster").isEmpty();
    }

    @Test
    void coxswainsLabelsTellWhateverTheName() {
        Secret user = TlsSecrets.client(ORDERS, "etl", "CA", MATERIAL);
        Secret copied = new SecretBuilder(user).editMetadata().withName("etl-creds").endMetadata().build();
        assertThat(ComponentSecretGuard.whyWithheld("etl-creds", copied)).as("copied under a name of one's own, labels and all").isPresent();
        Secret ca = TlsSecrets.caCertificate(ORDERS, "CA");
        Secret caWithKey = new SecretBuilder(ca).addToData(TlsSecrets.CA_KEY, "S0VZ").build();
        assertThat(ComponentSecretGuard.whyWithheld("orders-cluster-ca-cert", caWithKey)).as("a key beside the CA certificate").isPresent();
    }

    @Test
    void aSecretOfTheUsersOwnIsMountedAndSoIsOneNotMadeYetUnlessCoxswainMayMakeIt() {
        Secret own = new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace("kafka").addToLabels("team", "payments")
                .endMetadata().addToData("password", "cHc=").build();
        assertThat(ComponentSecretGuard.whyWithheld("pg-creds", own)).isEmpty();
        assertThat(ComponentSecretGuard.whyWithheld("pg-creds", null)).as("waited for, as before").isEmpty();
        assertThat(ComponentSecretGuard.whyWithheld("orders-user-reports", null))
                .as("a pod waiting for it would mount it the moment cluster orders made user reports")
                .hasValueSatisfying(why -> assertThat(why).contains("does not exist yet"));
        Secret ownNamedLikeAUsers = new SecretBuilder(own).editMetadata().withName("app-user-creds").endMetadata().build();
        assertThat(ComponentSecretGuard.whyWithheld("app-user-creds", ownNamedLikeAUsers)).as("once it exists without Coxswain's labels").isEmpty();
    }
}
