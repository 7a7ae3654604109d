package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.Topics;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.commands.signing.CommandKeys;
import io.coxswain.commands.signing.CommandSignatures;
import io.coxswain.commands.signing.CommandSigner;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.executor.CommandLogSink;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.node.CoxswainMain;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import picocli.CommandLine;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that requires signatures, on the real broker: what the node itself writes (a gateway POST,
 * an executor observation) is signed with its own key and accepted; a service's CommandClient is
 * accepted with its Ed25519 key and rejected, and recorded as such, without one.
 */
class SignedCommandsEndToEndTest {

    @Test
    void theNodesOwnWritesAndSignedClientsAreAcceptedAndAnUnsignedClientIsRejected() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyPair service = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<String> keyLines = List.of("node hmac-sha256 " + Base64.getEncoder().encodeToString(secret),
                "billing ed25519 " + Base64.getEncoder().encodeToString(service.getPublic().getEncoded()));
        CommandKeys keys = CommandKeys.parse("e2e-keys", keyLines);
        CommandSigner nodeKey = CommandSigner.hmac(keys, "node");
        Topics topics = GatewayHarness.freshTopics();
        try (GatewayHarness h = GatewayHarness.start(SharedKafka.bootstrapServers(), topics, "app-" + topics.prefix(),
                n -> n.withSignatures(new CommandSignatures(new SignatureVerifier(keys, true), nodeKey)), c -> c)) {
            GatewayHarness.Reply created = h.post("/v1/commands?wait=true", GatewayHarness.create("signed"));
            assertThat(created.status()).as(created.toString()).isEqualTo(200);

            ExecutorConfig executor = ExecutorConfig.defaults(SharedKafka.bootstrapServers(), topics, "exec-e2e").withSignatures(new CommandSignatures(new SignatureVerifier(keys, true), nodeKey));
            try (CommandLogSink sink = new CommandLogSink(executor)) {
                String observation = sink.record("signed", new EndpointObserved("signed-bootstrap:9092"));
                JsonNode decided = Poll.until(Duration.ofSeconds(30), "the decision on observation " + observation, () -> {
                    GatewayHarness.Reply r = h.get("/v1/commands/" + observation);
                    return r.status() == 200 && !r.json().get("status").asText().equals("pending") ? r.json() : null;
                });
                assertThat(decided.get("status").asText()).as(decided.toString()).isEqualTo("accepted");
            }

            try (CommandClient unsigned = CommandClient.builder(SharedKafka.bootstrapServers()).topics(topics).build();
                 CommandClient signed = CommandClient.builder(SharedKafka.bootstrapServers()).topics(topics)
                         .signer(CommandSigner.ed25519("billing", service.getPrivate())).build()) {
                Outcome refused = unsigned.send(Commands.on("signed").issuer("billing").scaleBrokers(5)).toCompletableFuture().join();
                assertThat(refused).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
                    assertThat(r.code()).isEqualTo(RejectionCode.SIGNATURE_INVALID);
                    assertThat(r.reason()).contains("not signed");
                });
                Outcome accepted = signed.send(Commands.on("signed").issuer("billing").scaleBrokers(5)).toCompletableFuture().join();
                assertThat(accepted).isInstanceOfSatisfying(Outcome.Accepted.class, a -> assertThat(a.version()).isEqualTo(3));

                // a forger who sends an id first does not answer for the real sender: the gateway waits
                // for the decision of the record it wrote, and the id's outcome is the real one
                Outcome forged = unsigned.send(Commands.on("signed").commandId("claimed-1").issuer("billing").scaleBrokers(4))
                        .toCompletableFuture().join();
                assertThat(forged).isInstanceOf(Outcome.Rejected.class);
                GatewayHarness.Reply real = h.post("/v1/commands?wait=true",
                        "{\"commandId\":\"claimed-1\",\"clusterId\":\"signed\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":4}}");
                assertThat(real.status()).as(real.toString()).isEqualTo(200);
                assertThat(real.json().get("version").asLong()).isEqualTo(4);
                assertThat(h.get("/v1/commands/claimed-1").json().get("status").asText()).isEqualTo("accepted");
                JsonNode history = h.get("/v1/clusters/signed/history").json();
                assertThat(history.get(history.size() - 2).get("code").asText()).isEqualTo("SIGNATURE_INVALID");
            }
            assertReplayNeedsTheNodesKeys(topics, keyLines);
        }
    }

    /** {@code bin/coxswain replay --verify}: identical with the node's keys and flag, different (exit 1) without. */
    private static void assertReplayNeedsTheNodesKeys(Topics topics, List<String> keyLines) throws Exception {
        Path keysFile = Files.createTempFile("e2e-keys", ".txt");
        Path out = Files.createTempFile("e2e-replay", ".json");
        try {
            Files.write(keysFile, keyLines);
            String[] replay = {"replay", "--bootstrap-servers", SharedKafka.bootstrapServers(), "--topic-prefix", topics.prefix(),
                    "--verify", "--out", out.toString()};
            String[] withKeys = Stream.concat(Arrays.stream(replay), Stream.of("--command-keys", keysFile.toString(), "--require-signatures"))
                    .toArray(String[]::new);
            assertThat(new CommandLine(new CoxswainMain()).execute(withKeys)).isZero();
            assertThat(new CommandLine(new CoxswainMain()).execute(replay)).isEqualTo(1);
            assertThat(Files.readString(out)).contains("rejected SIGNATURE_INVALID by this replay's signature rules");
            Files.writeString(keysFile, "node hmac-sha256\n");
            assertThat(new CommandLine(new CoxswainMain()).execute(withKeys)).as("a malformed keys file is a bad argument").isEqualTo(2);
        } finally {
            Files.deleteIfExists(keysFile);
            Files.deleteIfExists(out);
        }
    }
}
