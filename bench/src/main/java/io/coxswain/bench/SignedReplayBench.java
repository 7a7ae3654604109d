package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.commands.signing.CommandKeys;
import io.coxswain.commands.signing.CommandSigner;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What signed commands cost: the same commands as three logs, unsigned, every one signed with an HMAC
 * secret, and every one signed with an Ed25519 key, each replayed (decide and fold, signatures checked as
 * a node started with {@code --require-signatures} checks them) by the replay engine. The fold verifies
 * with the same code live, so the difference per command is what signing costs the live fold's CPU too.
 * A tenth of the fold stage's log: an Ed25519 verification costs about a thousand times a HMAC's.
 */
final class SignedReplayBench {

    private static final Logger log = LoggerFactory.getLogger(SignedReplayBench.class);

    private SignedReplayBench() {
    }

    static List<Result> run(String bootstrap, int commands, int clusters) throws Exception {
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        CommandKeys keys = CommandKeys.parse("bench keys", List.of("ops hmac-sha256 " + secret(),
                "svc ed25519 " + Base64.getEncoder().encodeToString(ed25519.getPublic().getEncoded())));
        String run = Long.toString(System.currentTimeMillis(), 36); // fresh topics even on a broker that kept the last run's
        long unsigned = replay(bootstrap, new Topics("bench-unsigned-" + run + "."), commands, clusters, Optional.empty(), keys);
        long hmac = replay(bootstrap, new Topics("bench-hmac-" + run + "."), commands, clusters, Optional.of(CommandSigner.hmac(keys, "ops")), keys);
        long ed = replay(bootstrap, new Topics("bench-ed25519-" + run + "."), commands, clusters,
                Optional.of(CommandSigner.ed25519("svc", ed25519.getPrivate())), keys);
        String what = "replay of " + commands + " commands, every one signed";
        return List.of(
                new Result(what + " (HMAC-SHA256)", hmac / 1e9, unsigned / 1e9, "s", "the same, unsigned", false, "-"),
                new Result(what + " (Ed25519)", ed / 1e9, unsigned / 1e9, "s", "the same, unsigned", false, "-"));
    }

    /** Writes the log (signed by {@code signer} when present), replays it once to warm up, then once measured. */
    private static long replay(String bootstrap, Topics topics, int commands, int clusters, Optional<CommandSigner> signer, CommandKeys keys)
            throws ExecutionException, InterruptedException {
        List<CommandLoad.Encoded> load = CommandLoad.prepare(bootstrap, topics, commands, clusters);
        if (signer.isPresent()) {
            load = load.stream().map(e -> {
                RecordHeaders headers = new RecordHeaders();
                signer.get().sign(headers, e.value());
                return new CommandLoad.Encoded(e.key(), e.value(), headers);
            }).toList();
        }
        CommandLoad.produce(bootstrap, topics.commands(), load, log::info);
        // a node that requires signatures when the log is signed, as its nodes would have run
        SignatureVerifier rules = new SignatureVerifier(keys, signer.isPresent());
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics), rules)) {
            replayer.replay(ReplayOptions.all());
            long start = System.nanoTime();
            ReplayResult result = replayer.replay(ReplayOptions.all());
            long elapsed = System.nanoTime() - start;
            long accepted = result.summary().accepted();
            if (accepted != commands) {
                throw new IllegalStateException("the " + topics.prefix() + " replay accepted " + accepted + " of " + commands
                        + " commands: " + result.summary().oneLine());
            }
            log.info("signed replay: {} in {} ms", topics.prefix(), elapsed / 1_000_000);
            return elapsed;
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
