package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.PasswordRotation;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which password a SCRAM user's Secret holds: made once, kept, made again for each rotation the
 * Secret has not seen (and only once for it), and whether Kafka is known to hold it.
 */
class ScramPasswordsTest {

    private static final ClusterNames NAMES = ClusterNames.of("payments", "{cluster}");

    @Test
    void aNewUserGetsAPasswordWhichIsKeptAfterwards() {
        ScramPasswords.Plan first = ScramPasswords.plan("py-app", user(null), null, "user-1");
        assertThat(first.password()).matches("[A-Za-z0-9]{32}");
        assertThat(first.generation()).isZero();
        assertThat(first.why()).contains("py-app", "new one");
        assertThat(first.cause()).isEqualTo("user-1");
        assertThat(first.credentialSet()).as("Kafka was given nothing yet").isFalse();

        ScramPasswords.Plan again = ScramPasswords.plan("py-app", user(null), secret(first), "resync");
        assertThat(again.password()).isEqualTo(first.password());
        assertThat(again.why()).as("kept: nothing to say").isNull();
        assertThat(again.credentialSet()).isFalse();
    }

    @Test
    void eachRotationMakesOneNewPasswordCausedByItsCommand() {
        ScramPasswords.Plan first = ScramPasswords.plan("py-app", user(null), null, "user-1");
        Secret marked = credentialSet(secret(first), first.password());
        assertThat(ScramPasswords.plan("py-app", user(null), marked, "resync").credentialSet()).isTrue();

        UserSpec rotated = user(new PasswordRotation(1, "rotate-1", Instant.parse("2026-12-06T04:00:00Z"), "pasted into a ticket"));
        ScramPasswords.Plan second = ScramPasswords.plan("py-app", rotated, marked, "resync");
        assertThat(second.password()).isNotEqualTo(first.password()).matches("[A-Za-z0-9]{32}");
        assertThat(second.generation()).isEqualTo(1);
        assertThat(second.cause()).isEqualTo("rotate-1");
        assertThat(second.why()).contains("RotateUserPassword", "py-app", "generation 1", "pasted into a ticket");
        assertThat(second.credentialSet()).as("the old password's digest does not vouch for the new one").isFalse();

        ScramPasswords.Plan after = ScramPasswords.plan("py-app", rotated, secret(second), "resync");
        assertThat(after.password()).as("the rotation is carried out once").isEqualTo(second.password());
        assertThat(after.why()).isNull();
        assertThat(after.credentialSet()).as("written, Kafka not yet given it (a crash here): the next pass sets it").isFalse();
        assertThat(after.cause()).as("still the rotation's doing").isEqualTo("rotate-1");
    }

    @Test
    void aSecretLosingItsPasswordGetsANewOneAndAHandEditedGenerationIsNoRotation() {
        Secret emptied = secret(ScramPasswords.plan("py-app", user(null), null, "user-1"));
        emptied.getData().remove(TlsSecrets.SCRAM_PASSWORD);
        assertThat(ScramPasswords.plan("py-app", user(null), emptied, "resync").why()).contains("new one");

        ScramPasswords.Plan first = ScramPasswords.plan("py-app", user(null), null, "user-1");
        Secret edited = secret(first);
        edited.getMetadata().getAnnotations().put(ScramPasswords.GENERATION, "not a number");
        assertThat(ScramPasswords.plan("py-app", user(null), edited, "resync").password()).isEqualTo(first.password());
    }

    private static UserSpec user(PasswordRotation rotation) {
        return new UserSpec(List.of(), null, "SCRAM-SHA-512", rotation, null);
    }

    /** The Secret as UserSync writes it from a plan. */
    private static Secret secret(ScramPasswords.Plan plan) {
        Secret s = TlsSecrets.scramUser(NAMES, "py-app", "CA", plan.password(), plan.annotations());
        s.getMetadata().setAnnotations(new HashMap<>(s.getMetadata().getAnnotations()));
        s.setData(new HashMap<>(s.getData()));
        return s;
    }

    /** As ScramCredentials marks it once Kafka took the password's credential. */
    private static Secret credentialSet(Secret s, String password) {
        Map<String, String> annotations = new HashMap<>(s.getMetadata().getAnnotations());
        annotations.put(ScramPasswords.CREDENTIAL, ScramPasswords.digest(password));
        s.getMetadata().setAnnotations(annotations);
        return s;
    }
}
