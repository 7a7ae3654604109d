package io.coxswain.orchestrator.executor.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an installation pulls its images from: rules {@code FROM=TO} that replace a registry or
 * repository prefix of every image Coxswain puts in a pod (Kafka, the platform components, the JMX
 * exporter), for clusters that may only pull from a mirror of their own. The state keeps the image
 * as asked for ({@code apache/kafka}); only the pods see the mirror, so the log and its replay do not
 * depend on where an installation pulls from.
 *
 * <p>A prefix matches whole path segments ({@code docker.io} matches {@code docker.io/apache/kafka},
 * not {@code docker.iox/...}); an image with no registry host is Docker Hub's, so {@code docker.io}
 * (and {@code docker.io/library} for one-segment names) matches it too. The longest matching prefix wins;
 * the tag or digest is kept.
 */
public final class ImageMirrors {

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9._:-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*");
    private static final String DOCKER_HUB = "docker.io";

    /** No mirrors: every image as written. */
    public static final ImageMirrors NONE = new ImageMirrors(List.of());

    private record Rule(String from, String to) {
    }

    private final List<Rule> rules;

    private ImageMirrors(List<Rule> rules) {
        this.rules = rules.stream().sorted(Comparator.comparingInt((Rule r) -> r.from().length()).reversed()).toList();
    }

    /**
     * @param rules each {@code FROM=TO}, e.g. {@code docker.io=registry.corp.example/hub}; blank ones are none
     * @throws IllegalArgumentException naming the rule and what is wrong with it
     */
    public static ImageMirrors parse(List<String> rules) {
        List<Rule> parsed = new ArrayList<>();
        for (String rule : rules) {
            if (rule.isBlank()) {
                continue; // an empty setting, as a manifest's variable gives it: no mirror
            }
            int eq = rule.indexOf('=');
            String from = eq < 0 ? "" : strip(rule.substring(0, eq));
            String to = eq < 0 ? "" : strip(rule.substring(eq + 1));
            if (eq < 0 || !PREFIX.matcher(from).matches() || !PREFIX.matcher(to).matches()) {
                throw new IllegalArgumentException("--image-mirror must be FROM=TO, two registry or repository prefixes such as"
                        + " docker.io=registry.corp.example/hub (lower case, no tag); got '" + rule + "'");
            }
            if (parsed.stream().anyMatch(r -> r.from().equals(from))) {
                throw new IllegalArgumentException("--image-mirror names " + from + " twice; keep one rule for it");
            }
            parsed.add(new Rule(from, to));
        }
        return new ImageMirrors(parsed);
    }

    /** The image as a pod pulls it. */
    public String apply(String image) {
        for (Rule rule : rules) {
            for (String written : spellings(image)) {
                if (written.startsWith(rule.from()) && (written.length() == rule.from().length() || isBoundary(written.charAt(rule.from().length())))) {
                    return rule.to() + written.substring(rule.from().length());
                }
            }
        }
        return image;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageMirrors other && rules.equals(other.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return rules.stream().map(r -> r.from() + "=" + r.to()).toList().toString();
    }

    /** The image as written, and in full when it is Docker Hub's without saying so. */
    private static List<String> spellings(String image) {
        int slash = image.indexOf('/');
        String first = slash < 0 ? null : image.substring(0, slash);
        boolean hasHost = first != null && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (hasHost) {
            return List.of(image);
        }
        return slash < 0 ? List.of(image, DOCKER_HUB + "/library/" + image) : List.of(image, DOCKER_HUB + "/" + image);
    }

    private static boolean isBoundary(char c) {
        return c == '/' || c == ':' || c == '@';
    }

    private static String strip(String prefix) {
        String s = prefix.trim();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
