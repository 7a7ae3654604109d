package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.junit.jupiter.api.Test;

/** What a cluster with clientAuthentication TLS adds to server.properties, and that a NONE cluster's files did not move. */
class ExecClientAuthPropertiesTest {

    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState open = TestStates.created("payments", 3, 3);
    private final ClusterState authenticated = TestStates.created("payments", TestStates.create(3, 3)
            .setClientAuthentication(ClientAuthentication.TLS).build());

    @Test
    void aClusterThatAuthenticatesNoClientKeepsItsFilesByteForByte() {
        // computed from the code before users existed (main at d9c4251): a change here would roll every existing cluster
        assertThat(KafkaProperties.configHash(open.getSpec(), names, KafkaRole.CONTROLLER)).isEqualTo("56a07b910aeeb4d8");
        assertThat(KafkaProperties.configHash(open.getSpec(), names, KafkaRole.BROKER)).isEqualTo("d8fceac4d6a1a57f");
        StringBuilder files = new StringBuilder();
        for (KafkaRole role : KafkaRole.values()) {
            files.append(KafkaProperties.forNode(open.getSpec(), names, role, 1, 3, Optional.of(new ExternalAddress("h", 1))));
        }
        assertThat(KafkaProperties.hash(files.toString())).isEqualTo("014127f386ec5f17");
    }

    @Test
    void brokersRequireClientCertificatesOnEveryListenerAndBothRolesAuthorize() throws IOException {
        Properties broker = parse(KafkaProperties.forNode(authenticated.getSpec(), names, KafkaRole.BROKER, 0, 3,
                Optional.of(new ExternalAddress("h", 1))));
        for (String listener : List.of("controller", "replication", "clients", "external")) {
            assertThat(broker.getProperty("listener.name." + listener + ".ssl.client.auth")).as(listener).isEqualTo("required");
        }
        for (KafkaRole role : KafkaRole.values()) {
            Properties p = parse(KafkaProperties.forNode(authenticated.getSpec(), names, role, 0, 3, Optional.empty()));
            assertThat(p.getProperty("authorizer.class.name")).as(role.name()).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            assertThat(p.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
            assertThat(p.getProperty("ssl.principal.mapping.rules")).isEqualTo(KafkaClientAuthProperties.PRINCIPAL_MAPPING_RULES);
            List<String> superUsers = List.of(p.getProperty("super.users").split(";"));
            assertThat(superUsers).contains("User:payments-controller-0", "User:payments-controller-2", "User:payments-broker-0",
                    "User:payments-broker-99", "User:coxswain-operator").doesNotContain("User:payments-controller-3").hasSize(3 + 100 + 1);
        }
    }

    @Test
    void optionalAsksApplicationsForACertificateWithoutRequiringOneAndLetsAnonymousInWhereNoAclSpeaks() throws IOException {
        ClusterState optional = TestStates.created("payments", TestStates.create(3, 3).build());
        optional.getSpec().setClientAuthentication("OPTIONAL");
        Properties broker = parse(KafkaProperties.forNode(optional.getSpec(), names, KafkaRole.BROKER, 0, 3,
                Optional.of(new ExternalAddress("h", 1))));
        assertThat(broker.getProperty("listener.name.clients.ssl.client.auth")).isEqualTo("requested");
        assertThat(broker.getProperty("listener.name.external.ssl.client.auth")).isEqualTo("requested");
        assertThat(broker.getProperty("listener.name.replication.ssl.client.auth")).as("the nodes' own listeners stay mutual").isEqualTo("required");
        for (KafkaRole role : KafkaRole.values()) {
            Properties p = parse(KafkaProperties.forNode(optional.getSpec(), names, role, 0, 3, Optional.empty()));
            assertThat(p.getProperty("authorizer.class.name")).as(role.name()).isEqualTo(KafkaClientAuthProperties.AUTHORIZER);
            assertThat(p.getProperty("allow.everyone.if.no.acl.found")).as(role.name()).isEqualTo("true");
            assertThat(p.getProperty("super.users")).contains("User:coxswain-operator");
        }
        assertThat(KafkaProperties.configHash(optional.getSpec(), names, KafkaRole.BROKER)).as("each step rolls the nodes")
                .isNotEqualTo(KafkaProperties.configHash(open.getSpec(), names, KafkaRole.BROKER))
                .isNotEqualTo(KafkaProperties.configHash(authenticated.getSpec(), names, KafkaRole.BROKER));
    }

    @Test
    void aUsersBrokerConfigCannotSwitchTheAuthorizerOffAndAScaleOutRollsNobody() throws IOException {
        ClusterState tries = TestStates.created("payments", TestStates.create(3, 3)
                .setClientAuthentication(ClientAuthentication.TLS)
                .setBrokerConfig(Map.of("allow.everyone.if.no.acl.found", "true", "super.users", "User:me")).build());
        Properties p = parse(KafkaProperties.forNode(tries.getSpec(), names, KafkaRole.BROKER, 0, 3, Optional.empty()));
        assertThat(p.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
        assertThat(p.getProperty("super.users")).doesNotContain("User:me");

        ClusterState scaled = TestStates.created("payments", TestStates.create(3, 7)
                .setClientAuthentication(ClientAuthentication.TLS).build());
        assertThat(KafkaProperties.configHash(scaled.getSpec(), names, KafkaRole.BROKER))
                .isEqualTo(KafkaProperties.configHash(authenticated.getSpec(), names, KafkaRole.BROKER));
    }

    /** The rule read by Kafka's own mapper, on the subject string Kafka gets from real certificates the cluster CA issues. */
    @Test
    void theMappingRuleTurnsEachCoxswainCertificateIntoItsName() throws Exception {
        CertificateIssuer issuer = new CertificateIssuer();
        Instant now = Instant.now();
        KeyMaterial ca = issuer.newCa("payments", now);
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules(KafkaClientAuthProperties.PRINCIPAL_MAPPING_RULES);
        for (String name : List.of("payments-broker-0", "coxswain-operator", "orders-app")) {
            // what Kafka's principal builder reads: X500Principal.getName(), RFC 2253
            String dn = Pem.certificate(issuer.node(ca, name, List.of("x"), now).certificate()).getSubjectX500Principal().getName();
            assertThat(dn).isEqualTo("CN=" + name + ",O=coxswain");
            assertThat(mapper.getName(dn)).isEqualTo(name);
        }
        assertThat(mapper.getName("CN=orders-app,O=elsewhere")).as("a subject Coxswain never issues keeps its full DN").isEqualTo("CN=orders-app,O=elsewhere");
    }

    private static Properties parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
