package io.coxswain.commands.shape;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown before anything is sent when a command fails its shape checks. */
public class InvalidCommandException extends IllegalArgumentException {
    private final List<Violation> violations;

    public InvalidCommandException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
