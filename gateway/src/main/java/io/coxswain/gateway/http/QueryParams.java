package io.coxswain.gateway.http;

import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.gateway.json.BadInputException;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Typed query parameters of the read routes. A malformed value throws {@link BadInputException} naming
 * the parameter, which the routes answer with {@code 400 {"error", "field"}}.
 */
final class QueryParams {

    private final RoutingContext ctx;

    QueryParams(RoutingContext ctx) {
        this.ctx = ctx;
    }

    /** The parameter, or null when absent; an empty value counts as absent. */
    String text(String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    boolean has(String name) {
        return ctx.request().getParam(name) != null;
    }

    /**
     * An instant: ISO-8601 with a zone ({@code 2026-11-20T10:00:00Z}, {@code 2026-11-20T11:00:00+01:00})
     * or a date ({@code 2026-11-20}, meaning its start in UTC); null when absent.
     */
    Instant instant(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new BadInputException(name, name + " must be an ISO-8601 time with a zone, like 2026-11-20T10:00:00Z or "
                        + "2026-11-20T11:00:00+01:00 (or a date, 2026-11-20), got '" + v + "'");
            }
        }
    }

    /** A whole number of at least {@code min}; null when absent. */
    Long number(String name, long min) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadInputException(name, name + " must be a whole number, got '" + v + "'");
        }
        if (n < min) {
            throw new BadInputException(name, name + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** A label selector ({@code team=payments,env!=dev}, kubectl's equality-based form); empty when absent. */
    List<ClusterLabels.Requirement> selector(String name) {
        try {
            return ClusterLabels.parseSelector(text(name));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(name, name + " must be a selector like team=payments,env!=dev: " + e.getMessage());
        }
    }

    /** An optional true/false parameter; {@code otherwise} when absent. */
    boolean flag(String name, boolean otherwise) {
        String v = text(name);
        if (v == null) {
            return otherwise;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new BadInputException(name, name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    long required(String name, long min, String example) {
        if (text(name) == null) {
            throw new BadInputException(name, "the query parameter " + name + " is required, e.g. " + example);
        }
        return number(name, min);
    }
}
