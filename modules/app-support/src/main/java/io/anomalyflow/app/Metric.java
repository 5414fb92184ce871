package io.anomalyflow.app;

import java.util.regex.Pattern;

/**
 * One metric family of a {@link MetricsRegistry}: its name, help and type, and how it prints its
 * samples in the Prometheus text exposition format (version 0.0.4).
 */
abstract sealed class Metric permits Counter, LabeledCounter, Gauge, Histogram {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String name;
    private final String help;

    Metric(String name, String help) {
        this.name = checkName(name);
        this.help = help;
    }

    /** The family name, e.g. {@code anomalyflow_gateway_requests_total}. */
    public final String name() {
        return name;
    }

    /** The one-line description of the {@code # HELP} line. */
    public final String help() {
        return help;
    }

    /** {@code counter}, {@code gauge} or {@code histogram}. */
    abstract String type();

    /** Appends the sample lines (not the {@code # HELP}/{@code # TYPE} lines). */
    abstract void renderSamples(StringBuilder out);

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        return name;
    }

    static String checkLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches() || label.startsWith("__")) {
            throw new IllegalArgumentException("not a Prometheus label name: " + label);
        }
        return label;
    }

    /** A label value escaped as the format wants: backslash, double quote and line feed. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A help text escaped as the format wants: backslash and line feed. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A sample value: integers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}, plain decimals, else Java's shortest form. */
    static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15) {
            // plain decimals read better than Java's 5.0E-4 (both parse in Prometheus)
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return Double.toString(v);
    }
}
