package io.coxswain.commands.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.commands.Commands;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class SigningSerializerTest {

    @Test
    void signsTheBytesTheWrappedSerializerProduced() {
        CommandKeys keys = CommandKeys.parse("keys", List.of("ops hmac-sha256 " + TestKeys.hmacSecret()));
        Serializer<Command> plain = (topic, command) -> command.getCommandId().getBytes();
        try (SigningSerializer serializer = new SigningSerializer(plain, CommandSigner.hmac(keys, "ops"))) {
            Headers headers = new RecordHeaders();
            byte[] value = serializer.serialize("coxswain.commands", headers, Commands.on("payments").scaleBrokers(3));
            SignatureVerifier verifier = new SignatureVerifier(keys, true);
            assertThat(verifier.check(headers, value).accepted()).isTrue();
            assertThat(verifier.check(headers, "other".getBytes()).accepted()).isFalse();
        }
    }
}
