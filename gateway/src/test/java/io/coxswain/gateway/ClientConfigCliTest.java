package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code cox client-config}: the properties an application uses, chosen from the cluster's state (its bootstrap address,
 * its client authentication, the user's authentication), naming the Secret to mount and never printing a credential;
 * and what it cannot answer, said with what to do (CoxCliTest's way of running cox).
 */
class ClientConfigCliTest extends CoxCliHarness {

    private static final String BOOTSTRAP = "bank-kafka-bootstrap.bank.svc:9092";

    @Test
    void eachWayInGetsItsPropertiesAndTheSecretToMount() {
        assertThat(cox("create-cluster", "bank", "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Run early = cox("client-config", "bank", "--user", "ledger-app");
        assertThat(early.code()).isEqualTo(5);
        assertThat(early.err()).contains("cluster bank has no bootstrap address yet");
        h.observe("bank", "{\"type\":\"EndpointObserved\",\"bootstrapServers\":\"" + BOOTSTRAP + "\"}");
        assertThat(cox("create-user", "bank", "ledger-app", "--authentication", "SCRAM-SHA-512").code()).isZero();
        assertThat(cox("create-user", "bank", "audit-app").code()).isZero();

        Run scram = cox("client-config", "bank", "--user", "ledger-app");
        assertThat(scram.code()).as(scram.err()).isZero();
        assertThat(scram.out()).contains("# Mount the Secret bank-user-ledger-app (namespace bank) at /etc/kafka/user",
                        "secretName: bank-user-ledger-app", "-Dorg.apache.kafka.automatic.config.providers must list")
                .endsWith("""
                        bootstrap.servers=bank-kafka-bootstrap.bank.svc:9095
                        security.protocol=SASL_SSL
                        sasl.mechanism=SCRAM-SHA-512
                        config.providers=secret
                        config.providers.secret.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                        sasl.jaas.config=${secret:/etc/kafka/user:sasl.jaas.config}
                        ssl.truststore.type=PEM
                        ssl.truststore.location=/etc/kafka/user/ca.crt
                        """);

        Run certificate = cox("client-config", "bank", "--user", "audit-app", "--mount-path", "/var/run/kafka/");
        assertThat(certificate.code()).as(certificate.err()).isZero();
        assertThat(certificate.out()).contains("as user audit-app (TLS)", "# Mount the Secret bank-user-audit-app (namespace bank) at /var/run/kafka/",
                        "Java client 3.2 or later")
                .endsWith("""
                        bootstrap.servers=bank-kafka-bootstrap.bank.svc:9092
                        security.protocol=SSL
                        ssl.keystore.type=PEM
                        ssl.keystore.location=/var/run/kafka/user.pem
                        ssl.truststore.type=PEM
                        ssl.truststore.location=/var/run/kafka/ca.crt
                        """);

        Run anonymous = cox("client-config", "bank");
        assertThat(anonymous.code()).as("a TLS cluster takes no client without a certificate").isEqualTo(2);
        assertThat(anonymous.err()).contains("requires a client certificate", "--user NAME", "its users: audit-app, ledger-app");
        Run badPath = cox("client-config", "bank", "--user", "audit-app", "--mount-path", "/etc/kafka:user");
        assertThat(badPath.code()).isEqualTo(2);
        assertThat(badPath.err()).contains("--mount-path '/etc/kafka:user' must be an absolute path");
        Run unknown = cox("client-config", "bank", "--user", "billing-app");
        assertThat(unknown.code()).isEqualTo(5);
        assertThat(unknown.err()).contains("cluster bank has no user 'billing-app'", "cox create-user bank billing-app");
    }

    @Test
    void aClusterWithoutClientAuthenticationIsReachedTrustingItsCa() {
        assertThat(cox("create-cluster", "open", "--kafka-version", "4.1.0").code()).isZero();
        h.observe("open", "{\"type\":\"EndpointObserved\",\"bootstrapServers\":\"open-kafka-bootstrap.open.svc:9092\"}");
        Run open = cox("client-config", "open");
        assertThat(open.code()).as(open.err()).isZero();
        assertThat(open.out()).contains("# Mount the Secret open-cluster-ca-cert (namespace open) at /etc/kafka/cluster-ca")
                .endsWith("""
                        bootstrap.servers=open-kafka-bootstrap.open.svc:9092
                        security.protocol=SSL
                        ssl.truststore.type=PEM
                        ssl.truststore.location=/etc/kafka/cluster-ca/ca.crt
                        """);
    }
}
