package io.coxswain.commands.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cluster's labels, in Kubernetes' syntax so that a platform team writes them as it writes a pod's:
 * keys {@code [prefix/]name} (a DNS subdomain prefix, a name of at most 63 characters), values of at
 * most 63 characters, both of letters, digits, {@code -}, {@code _} and {@code .}, beginning and ending
 * with a letter or digit (a value may be empty). And the selectors a fleet is chosen by: a comma-separated
 * list of requirements that must all hold, {@code key=value} (or {@code ==}), {@code key!=value}, {@code key}
 * (has the label) and {@code !key} (has not). Pure.
 */
public final class ClusterLabels {

    public static final int MAX_LABELS = 32;
    /** Reserved for Coxswain's own labels and annotations. */
    public static final String RESERVED_PREFIX = "coxswain.io/";
    /**
     * The labels Coxswain sets on every Kubernetes object of a cluster, beside the cluster's own: its pods and
     * Services are selected by them, so a cluster label cannot take their place.
     */
    public static final Set<String> SET_BY_COXSWAIN = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/component", "app.kubernetes.io/managed-by");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_PREFIX = 253;
    private static final String FORM = "[prefix/]name of letters, digits, '-', '_' and '.', beginning and ending with a letter or digit, the name"
            + " at most 63 characters and the prefix a DNS subdomain";

    private ClusterLabels() {
    }

    /** Adds a violation of {@code field} per malformed key or value, and for more than {@link #MAX_LABELS}. */
    public static void check(Map<String, String> labels, String field, List<Violation> v) {
        if (labels.size() > MAX_LABELS) {
            v.add(new Violation(field, "must be at most " + MAX_LABELS + " labels, got " + labels.size()));
        }
        labels.forEach((key, value) -> {
            keyProblem(key).ifPresent(problem -> v.add(new Violation(field + "." + key, problem)));
            if (!value.isEmpty() && !NAME.matcher(value).matches()) {
                v.add(new Violation(field + "." + key, "value must be empty or at most 63 letters, digits, '-', '_' and '.', beginning and"
                        + " ending with a letter or digit; got '" + value + "'"));
            }
        });
    }

    private static Optional<String> keyProblem(String key) {
        if (key.startsWith(RESERVED_PREFIX)) {
            return Optional.of("the prefix " + RESERVED_PREFIX + " is reserved for Coxswain; got '" + key + "'");
        }
        if (SET_BY_COXSWAIN.contains(key)) {
            return Optional.of("'" + key + "' is set by Coxswain on every Kubernetes object of the cluster, which it selects the pods by;"
                    + " choose another key (app.kubernetes.io/part-of is free)");
        }
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean ok = NAME.matcher(name).matches() && (prefix == null || prefix.length() <= MAX_PREFIX && PREFIX.matcher(prefix).matches());
        return ok ? Optional.empty() : Optional.of("key must be " + FORM + "; got '" + key + "'");
    }

    /** One requirement of a selector. */
    public record Requirement(String key, Operator operator, String value) {

        public enum Operator { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

        boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case EQUALS -> value.equals(labels.get(key));
                case NOT_EQUALS -> !value.equals(labels.get(key));
                case EXISTS -> labels.containsKey(key);
                case NOT_EXISTS -> !labels.containsKey(key);
            };
        }
    }

    /**
     * The requirements of {@code selector}; empty (matching every cluster) for a blank one.
     *
     * @throws IllegalArgumentException naming the requirement that is not of the selector's form
     */
    public static List<Requirement> parseSelector(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return requirements;
        }
        for (String part : selector.split(",")) {
            String text = part.trim();
            Requirement r;
            if (text.startsWith("!")) {
                r = new Requirement(text.substring(1), Requirement.Operator.NOT_EXISTS, null);
            } else if (text.contains("!=")) {
                r = new Requirement(text.substring(0, text.indexOf("!=")), Requirement.Operator.NOT_EQUALS, text.substring(text.indexOf("!=") + 2));
            } else if (text.contains("==")) {
                r = new Requirement(text.substring(0, text.indexOf("==")), Requirement.Operator.EQUALS, text.substring(text.indexOf("==") + 2));
            } else if (text.contains("=")) {
                r = new Requirement(text.substring(0, text.indexOf('=')), Requirement.Operator.EQUALS, text.substring(text.indexOf('=') + 1));
            } else {
                r = new Requirement(text, Requirement.Operator.EXISTS, null);
            }
            String problem = keyProblem(r.key()).filter(p -> !r.key().startsWith(RESERVED_PREFIX)).orElse(null);
            if (problem != null || r.value() != null && !r.value().isEmpty() && !NAME.matcher(r.value()).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a label requirement: write key=value, key!=value, key or !key,"
                        + " comma-separated, with keys and values in Kubernetes label syntax");
            }
            requirements.add(r);
        }
        return requirements;
    }

    /** Whether {@code labels} meet every requirement. */
    public static boolean matches(List<Requirement> requirements, Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }
}
