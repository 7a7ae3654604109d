package io.coxswain.orchestrator.operations;

import java.util.List;

/**
 * The answer of a safety check, worded for the person reading the operation's history: what was
 * checked, the verdict, and every finding that led to it (naming partitions, ISRs, brokers).
 *
 * <p>{@link Verdict#NEEDS_CONSENT} is for an action that is safe for the data but costs
 * availability (a single-replica partition goes offline while its broker restarts): the driver
 * may proceed only when the command that started the operation said so explicitly.
 */
public record Decision(String check, Verdict verdict, String summary, List<String> findings) {

    public enum Verdict { GO, NEEDS_CONSENT, BLOCKED }

    public Decision {
        findings = List.copyOf(findings);
    }

    public static Decision go(String check, String summary, List<String> findings) {
        return new Decision(check, Verdict.GO, summary, findings);
    }

    public static Decision go(String check, String summary) {
        return go(check, summary, List.of());
    }

    public static Decision blocked(String check, String summary, List<String> findings) {
        return new Decision(check, Verdict.BLOCKED, summary, findings);
    }

    public static Decision needsConsent(String check, String summary, List<String> findings) {
        return new Decision(check, Verdict.NEEDS_CONSENT, summary, findings);
    }

    /** True only for {@link Verdict#GO}: consent is something the caller must add, not assume. */
    public boolean allowed() {
        return verdict == Verdict.GO;
    }

    /** What a status line or a rejection reason shows: the summary, then the findings. */
    public String reason() {
        if (findings.isEmpty()) {
            return summary;
        }
        int shown = Math.min(findings.size(), 10);
        StringBuilder b = new StringBuilder(summary).append(": ");
        b.append(String.join("; ", findings.subList(0, shown)));
        if (findings.size() > shown) {
            b.append("; and ").append(findings.size() - shown).append(" more");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return check + " " + verdict + ": " + reason();
    }
}
