package io.coxswain.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's small line-oriented files (tokens, roles): one entry per line, words separated by
 * spaces, blank lines and {@code #} comments skipped. Each line keeps its number, so that every
 * complaint about the file can say where to look.
 */
record ConfigLines(String source, List<Line> lines) {

    record Line(int number, List<String> words) {
    }

    static ConfigLines read(Path file, String what) {
        try {
            return parse(what + " " + file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    static ConfigLines parse(String source, List<String> raw) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(new Line(i + 1, List.of(line.split("\\s+"))));
            }
        }
        return new ConfigLines(source, List.copyOf(out));
    }

    /** An exception whose message starts with the file and line, for a startup failure the operator can act on. */
    IllegalArgumentException error(Line line, String problem) {
        return new IllegalArgumentException(source + " line " + line.number() + ": " + problem);
    }
}
