package io.coxswain.commands.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders gateway answers as a table, JSON or YAML ({@code -o}). */
final class Output {

    enum Format { table, json, yaml }

    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void yaml(PrintWriter out, JsonNode node) {
        StringBuilder b = new StringBuilder();
        yaml(b, node, 0, false);
        out.print(b.charAt(b.length() - 1) == '\n' ? b : b.append('\n'));
    }

    /** Block-style YAML for a JSON tree; scalars are JSON-quoted where YAML would misread them. */
    private static void yaml(StringBuilder b, JsonNode node, int indent, boolean inline) {
        String pad = " ".repeat(indent);
        if (node.isObject() && node.size() > 0) {
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(first && inline ? "" : pad).append(scalarKey(e.getKey())).append(':');
                first = false;
                child(b, e.getValue(), indent);
            }
        } else if (node.isArray() && node.size() > 0) {
            boolean first = true;
            for (JsonNode item : node) {
                b.append(first && inline ? "" : pad).append("- ");
                first = false;
                if (item.isContainerNode() && item.size() > 0) {
                    yaml(b, item, indent + 2, true);
                } else {
                    b.append(scalar(item)).append('\n');
                }
            }
        } else {
            b.append(inline ? "" : pad).append(scalar(node)).append('\n');
        }
    }

    private static void child(StringBuilder b, JsonNode value, int indent) {
        if (value.isContainerNode() && value.size() > 0) {
            b.append('\n');
            yaml(b, value, indent + 2, false);
        } else {
            b.append(' ').append(scalar(value)).append('\n');
        }
    }

    private static String scalarKey(String key) {
        return key.matches("[A-Za-z0-9_.\\-/]+") ? key : quote(key);
    }

    private static String scalar(JsonNode v) {
        if (v.isObject()) {
            return "{}";
        }
        if (v.isArray()) {
            return "[]";
        }
        if (v.isNull()) {
            return "null";
        }
        if (!v.isTextual()) {
            return v.asText();
        }
        String s = v.textValue();
        boolean plain = s.matches("[A-Za-z][A-Za-z0-9_.\\-/ ]*") && !s.matches("(?i)true|false|yes|no|on|off|null|~") && !s.endsWith(" ");
        return plain ? s : quote(s);
    }

    private static String quote(String s) {
        return GatewayClient.JSON.getNodeFactory().textNode(s).toString();
    }

    /** A plain-text table: one header line, columns padded to the widest cell. */
    static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        List<Integer> widths = new ArrayList<>();
        for (int c = 0; c < headers.size(); c++) {
            int w = headers.get(c).length();
            for (List<String> row : rows) {
                w = Math.max(w, row.get(c).length());
            }
            widths.add(w);
        }
        line(out, headers, widths);
        rows.forEach(r -> line(out, r, widths));
    }

    private static void line(PrintWriter out, List<String> cells, List<Integer> widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            b.append(c == cells.size() - 1 ? cell : cell + " ".repeat(widths.get(c) - cell.length() + 3));
        }
        out.println(b.toString().stripTrailing());
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.at(field.startsWith("/") ? field : "/" + field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }
}
