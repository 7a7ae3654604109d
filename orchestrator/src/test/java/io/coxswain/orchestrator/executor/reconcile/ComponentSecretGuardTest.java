package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which Secrets a platform component's {@code secrets} names are kept out of its pods: every one Coxswain made with key
 * material in it, told by the labels Coxswain puts on it (the Secrets here are built by the code that makes them), whatever
 * cluster it belongs to and whatever its name; one not made yet that Coxswain may still make as a user's; and, in a namespace
 * several clusters share, every one that does not say with {@code mountable-by.coxswain.io/<cluster>=true} that the
 * component's cluster may mount it. A Secret of the user's own, and a cluster's public CA certificate, are mounted. Each
 * refusal says what to do.
 */
class ComponentSecretGuardTest {

    /** Another cluster in the namespace the component's cluster shares. */
    private static final ClusterNames ORDERS = ClusterNames.of("orders", "kafka");
    /** The component's cluster, sharing namespace kafka with orders. */
    private static final ClusterNames SHOP = ClusterNames.of("shop", "kafka");
    /** The component's cluster in a namespace of its own (the default template). */
    private static final ClusterNames OWN = ClusterNames.of("shop", "{cluster}");
    private static final KeyMaterial MATERIAL = new KeyMaterial("CERT", "KEY");

    private static Optional<String> whyWithheld(String name, Secret secret) {
        return ComponentSecretGuard.whyWithheld(name, secret, OWN, false).map(w -> w.why() + ". " + w.todo());
    }

    private static Optional<String> whyWithheldShared(String name, Secret secret) {
        return ComponentSecretGuard.whyWithheld(name, secret, SHOP, true).map(w -> w.why() + ". " + w.todo());
    }

    @Test
    void anotherClustersUserSecretIsWithheldWhetherItHoldsACertificateOrAPassword() {
        assertThat(whyWithheld("orders-user-etl", TlsSecrets.client(ORDERS, "etl", "CA", MATERIAL)))
                .hasValueSatisfying(why -> assertThat(why).contains("the credentials of user etl of cluster orders", "Coxswain's labels"));
        assertThat(whyWithheld("orders-user-etl", TlsSecrets.scramUser(ORDERS, "etl", "CA", "pw", Map.of())))
                .hasValueSatisfying(why -> assertThat(why).contains("user etl of cluster orders"));
    }

    @Test
    void aClustersTlsKeysAreWithheldAndItsCaCertificateIsNot() {
        assertThat(whyWithheld("orders-operator-tls", TlsSecrets.client(ORDERS, null, "CA", MATERIAL)))
                .hasValueSatisfying(why -> assertThat(why).contains("TLS keys of cluster orders"));
        assertThat(whyWithheld("orders-kafka-tls", TlsSecrets.nodes(ORDERS, "CA", Map.of("orders-broker-0", MATERIAL), 0)))
                .isPresent();
        assertThat(whyWithheld("orders-cluster-ca-cert", TlsSecrets.caCertificate(ORDERS, "CA")))
                .as("a CA certificate alone is what applications mount to trust a cluster").isEmpty();
    }

    @Test
    void coxswainsLabelsTellWhateverTheName() {
        Secret user = TlsSecrets.client(ORDERS, "etl", "CA", MATERIAL);
        Secret copied = new SecretBuilder(user).editMetadata().withName("etl-creds").endMetadata().build();
        assertThat(whyWithheld("etl-creds", copied)).as("copied under a name of one's own, labels and all").isPresent();
        Secret ca = TlsSecrets.caCertificate(ORDERS, "CA");
        Secret caWithKey = new SecretBuilder(ca).addToData(TlsSecrets.CA_KEY, "S0VZ").build();
        assertThat(whyWithheld("orders-cluster-ca-cert", caWithKey)).as("a key beside the CA certificate").isPresent();
    }

    @Test
    void aSecretOfTheUsersOwnIsMountedAndSoIsOneNotMadeYetUnlessCoxswainMayMakeIt() {
        Secret own = new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace("kafka").addToLabels("team", "payments")
                .endMetadata().addToData("password", "cHc=").build();
        assertThat(whyWithheld("pg-creds", own)).isEmpty();
        assertThat(whyWithheld("pg-creds", null)).as("waited for, as before").isEmpty();
        assertThat(whyWithheld("orders-user-reports", null))
                .as("a pod waiting for it would mount it the moment cluster orders made user reports")
                .hasValueSatisfying(why -> assertThat(why).contains("does not exist yet", "Create it first without Coxswain's labels",
                        "or rename it").doesNotContain("name a Secret of your own"));
        Secret ownNamedLikeAUsers = new SecretBuilder(own).editMetadata().withName("app-user-creds").endMetadata().build();
        assertThat(whyWithheld("app-user-creds", ownNamedLikeAUsers)).as("once it exists without Coxswain's labels").isEmpty();
    }

    @Test
    void inASharedNamespaceOnlyASecretLabelledForTheClusterIsMountedAndTheRefusalSaysHowToLabelIt() {
        Secret theirs = new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace("kafka").addToLabels("team", "orders")
                .endMetadata().addToData("password", "cHc=").build();
        assertThat(whyWithheldShared("pg-creds", theirs)).as("another cluster's team's, or this one's: not told apart without the label")
                .hasValueSatisfying(why -> assertThat(why).contains("namespace kafka is shared", "cluster shop",
                        "kubectl label secret pg-creds -n kafka mountable-by.coxswain.io/shop=true"));
        Secret forOrders = new SecretBuilder(theirs).editMetadata().addToLabels("mountable-by.coxswain.io/orders", "true").endMetadata().build();
        assertThat(whyWithheldShared("pg-creds", forOrders)).as("opted in for another cluster only").isPresent();
        Secret forShop = new SecretBuilder(forOrders).editMetadata().addToLabels(SHOP.mountableByLabel(), "true").endMetadata().build();
        assertThat(whyWithheldShared("pg-creds", forShop)).as("one label per cluster: shop's is there").isEmpty();
        Secret notTrue = new SecretBuilder(theirs).editMetadata().addToLabels(SHOP.mountableByLabel(), "yes").endMetadata().build();
        assertThat(whyWithheldShared("pg-creds", notTrue)).isPresent();
        assertThat(whyWithheld("pg-creds", theirs)).as("in a namespace of the cluster's own, its Secrets are its own").isEmpty();
    }

    @Test
    void inASharedNamespaceTheLabelNeverMakesKeysCoxswainMadeMountableNorIsAMissingSecretWaitedFor() {
        Secret user = new SecretBuilder(TlsSecrets.client(ORDERS, "etl", "CA", MATERIAL)).editMetadata()
                .addToLabels(SHOP.mountableByLabel(), "true").endMetadata().build();
        assertThat(whyWithheldShared("orders-user-etl", user)).hasValueSatisfying(why -> assertThat(why).contains("which Coxswain made"));
        assertThat(whyWithheldShared("pg-creds", null)).as("whoever made it first would be mounted")
                .hasValueSatisfying(why -> assertThat(why).contains("does not exist yet", "shared",
                        "kubectl -n kafka label secret pg-creds mountable-by.coxswain.io/shop=true"));
        assertThat(whyWithheldShared("orders-user-later", null)).hasValueSatisfying(why -> assertThat(why)
                .contains("Create it first without Coxswain's labels", "mountable-by.coxswain.io/shop=true", "or rename it"));
    }

    @Test
    void theOptInLabelIsAValidKubernetesLabelKeyForTheLongestClusterId() {
        String key = ClusterNames.of("a".repeat(io.coxswain.commands.shape.CommandShape.MAX_CLUSTER_ID_LENGTH), "kafka").mountableByLabel();
        String[] parts = key.split("/");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*").hasSizeLessThanOrEqualTo(253);
        assertThat(parts[1]).matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?").hasSizeLessThanOrEqualTo(63);
    }
}
