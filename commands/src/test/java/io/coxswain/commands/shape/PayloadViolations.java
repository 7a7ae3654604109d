package io.coxswain.commands.shape;

import io.coxswain.avro.command.Command;
import io.coxswain.commands.Commands;
import java.util.List;

/** The shape checks' verdict on one payload in an otherwise valid envelope, as the tests of each command family read it. */
final class PayloadViolations {

    private PayloadViolations() {
    }

    static List<String> of(Object payload) {
        Command c = Commands.on("payments").issuer("alice").deleteTopic("x");
        c.setPayload(payload);
        return CommandShape.check(c).stream().map(Violation::toString).toList();
    }
}
