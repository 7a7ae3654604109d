package io.coxswain.commands.shape;

/**
 * The character-class checks of command fields, written as plain loops: every command the node
 * folds, and every one a replay re-checks, passes through them, and a regular expression per field
 * was a sixth of a replay's time. Each check accepts exactly what the pattern in its comment
 * accepts ({@code NamesTest} compares them on random strings).
 */
final class Names {

    private Names() {
    }

    /** {@code [A-Za-z0-9._:@/-]{1,128}}: command ids. */
    static boolean isId(String s) {
        if (s == null || s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}: a DNS-1123 label (its length is checked apart). */
    static boolean isDnsLabel(String s) {
        if (s == null || s.isEmpty() || s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLowerAlnum(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-zA-Z0-9._-]{1,249}}: a Kafka topic name ("." and ".." are refused apart). */
    static boolean isTopicName(String s) {
        if (s == null || s.isEmpty() || s.length() > 249) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z][a-z0-9._-]{0,199}}: a Kafka configuration key. */
    static boolean isConfigKey(String s) {
        if (s == null || s.isEmpty() || s.length() > 200 || !(s.charAt(0) >= 'a' && s.charAt(0) <= 'z')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLowerAlnum(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }
}
