package io.coxswain.gateway.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A small metrics registry that writes the Prometheus text exposition format (version 0.0.4):
 * counters, histograms and gauges with labels. Small on purpose: the gateway needs a dozen series,
 * not a metrics framework.
 */
public final class Metrics {

    /** Request-latency buckets in seconds: a fast read is sub-millisecond, a waited command takes seconds. */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<String, Family> families = new LinkedHashMap<>();

    private abstract static class Family {
        final String name;
        final String help;
        final String type;
        final List<String> labelNames;

        Family(String name, String help, String type, List<String> labelNames) {
            this.name = name;
            this.help = help;
            this.type = type;
            this.labelNames = labelNames;
        }

        abstract void write(StringBuilder out);

        String labels(List<String> values, String extraName, String extraValue) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < labelNames.size(); i++) {
                parts.add(labelNames.get(i) + "=\"" + escape(values.get(i)) + "\"");
            }
            if (extraName != null) {
                parts.add(extraName + "=\"" + extraValue + "\"");
            }
            return parts.isEmpty() ? "" : "{" + String.join(",", parts) + "}";
        }
    }

    /** A monotonically increasing count per label combination. */
    public static final class Counter extends Family {
        private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

        Counter(String name, String help, List<String> labelNames) {
            super(name, help, "counter", labelNames);
        }

        public void inc(String... labelValues) {
            values.computeIfAbsent(key(labelNames, labelValues), k -> new LongAdder()).increment();
        }

        public long get(String... labelValues) {
            LongAdder a = values.get(List.of(labelValues));
            return a == null ? 0 : a.sum();
        }

        @Override
        void write(StringBuilder out) {
            sorted(values).forEach((k, v) -> out.append(name).append(labels(k, null, null)).append(' ').append(v.sum()).append('\n'));
        }
    }

    /** Observations counted into cumulative buckets, with their sum and count. */
    public static final class Histogram extends Family {
        private final Map<List<String>, Cells> values = new ConcurrentHashMap<>();

        private static final class Cells {
            final LongAdder[] buckets = new LongAdder[BUCKETS.length];
            final LongAdder count = new LongAdder();
            final DoubleAdder sum = new DoubleAdder();

            Cells() {
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] = new LongAdder();
                }
            }
        }

        Histogram(String name, String help, List<String> labelNames) {
            super(name, help, "histogram", labelNames);
        }

        public void observe(double value, String... labelValues) {
            Cells c = values.computeIfAbsent(key(labelNames, labelValues), k -> new Cells());
            for (int i = 0; i < BUCKETS.length; i++) {
                if (value <= BUCKETS[i]) {
                    c.buckets[i].increment();
                }
            }
            c.count.increment();
            c.sum.add(value);
        }

        @Override
        void write(StringBuilder out) {
            sorted(values).forEach((k, c) -> {
                for (int i = 0; i < BUCKETS.length; i++) {
                    out.append(name).append("_bucket").append(labels(k, "le", Double.toString(BUCKETS[i]))).append(' ').append(c.buckets[i].sum()).append('\n');
                }
                out.append(name).append("_bucket").append(labels(k, "le", "+Inf")).append(' ').append(c.count.sum()).append('\n');
                out.append(name).append("_sum").append(labels(k, null, null)).append(' ').append(c.sum.sum()).append('\n');
                out.append(name).append("_count").append(labels(k, null, null)).append(' ').append(c.count.sum()).append('\n');
            });
        }
    }

    /** Gauges computed when scraped: one series per key of the supplied map (label values in labelNames' order; none for a plain gauge). */
    private static final class GaugeFamily extends Family {
        private final Supplier<Map<List<String>, Double>> supplier;

        GaugeFamily(String name, String help, List<String> labelNames, Supplier<Map<List<String>, Double>> supplier) {
            super(name, help, "gauge", labelNames);
            this.supplier = supplier;
        }

        @Override
        void write(StringBuilder out) {
            sorted(supplier.get()).forEach((k, v) -> out.append(name).append(labels(k, null, null)).append(' ').append(number(v)).append('\n'));
        }
    }

    /**
     * Gauges whose series each name their own labels, for a family whose label names come from data (a cluster's
     * own labels, as kube-state-metrics writes a pod's): each key maps label names to values, in the order written.
     */
    private static final class FreeLabelGaugeFamily extends Family {
        private final Supplier<Map<Map<String, String>, Double>> supplier;

        FreeLabelGaugeFamily(String name, String help, Supplier<Map<Map<String, String>, Double>> supplier) {
            super(name, help, "gauge", List.of());
            this.supplier = supplier;
        }

        @Override
        void write(StringBuilder out) {
            Map<String, Double> lines = new TreeMap<>();
            supplier.get().forEach((labels, v) -> {
                List<String> parts = new ArrayList<>();
                labels.forEach((k, value) -> parts.add(k + "=\"" + escape(value) + "\""));
                lines.put(name + "{" + String.join(",", parts) + "}", v);
            });
            lines.forEach((series, v) -> out.append(series).append(' ').append(number(v)).append('\n'));
        }
    }

    public synchronized Counter counter(String name, String help, String... labelNames) {
        return (Counter) families.computeIfAbsent(name, n -> new Counter(n, help, List.of(labelNames)));
    }

    public synchronized Histogram histogram(String name, String help, String... labelNames) {
        return (Histogram) families.computeIfAbsent(name, n -> new Histogram(n, help, List.of(labelNames)));
    }

    /** A value read when scraped; NaN leaves the series out. */
    public synchronized void gauge(String name, String help, DoubleSupplier supplier) {
        gauges(name, help, () -> {
            double v = supplier.getAsDouble();
            return Double.isNaN(v) ? Map.of() : Map.of(List.of(), v);
        });
    }

    /** Series computed when scraped, keyed by their label values (a family may have no series at a given moment). */
    public synchronized void gauges(String name, String help, Supplier<Map<List<String>, Double>> series, String... labelNames) {
        families.put(name, new GaugeFamily(name, help, List.of(labelNames), series));
    }

    /** Series computed when scraped whose label names vary from series to series ({@link FreeLabelGaugeFamily}). */
    public synchronized void gaugesWithOwnLabels(String name, String help, Supplier<Map<Map<String, String>, Double>> series) {
        families.put(name, new FreeLabelGaugeFamily(name, help, series));
    }

    /** The whole registry in the Prometheus text format. */
    public synchronized String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Family f : families.values()) {
            out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            f.write(out);
        }
        return out.toString();
    }

    private static List<String> key(List<String> names, String[] values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected labels " + names + ", got " + values.length + " values");
        }
        for (String v : values) {
            Objects.requireNonNull(v, "label value");
        }
        return List.of(values);
    }

    /** Series in a stable order, so that scrapes are easy to diff. */
    private static <V> Map<List<String>, V> sorted(Map<List<String>, V> m) {
        Map<List<String>, V> out = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        out.putAll(m);
        return out;
    }

    /** Whole numbers as integers (a timestamp in seconds stays exact and readable), others as Java prints doubles. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
