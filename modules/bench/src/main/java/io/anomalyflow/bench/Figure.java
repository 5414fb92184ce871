package io.anomalyflow.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * One line of the results table: our number, the baseline measured in the same run, and the target
 * it is judged by. The ratio is always {@code ours / baseline}; whether that is good depends on
 * {@link Unit#higherIsBetter()}. Parts of the run hand figures to the report as tab-separated lines
 * ({@link #toTsv()} / {@link #fromTsv(String)}), so {@code toolkit} and {@code system} can run in
 * separate JVMs and the table still comes out in one piece.
 *
 * @param section    where it belongs (toolkit, ingest, read, latency, fan-out, start-up, size)
 * @param name       what was measured, with its conditions
 * @param ours       our number, in {@code unit}; {@code NaN} when it could not be measured
 * @param unit       the unit of {@code ours} and {@code baseline}
 * @param baselineName what the baseline is ({@code "-"} for none)
 * @param baseline   the baseline's number, {@code NaN} for none
 * @param target     how the figure is judged
 * @param note       anything the reader must know (a reduced size, an error)
 */
public record Figure(String section, String name, double ours, Unit unit, String baselineName, double baseline,
                     Target target, String note) {

    /** A unit and whether bigger numbers are better in it. */
    public enum Unit {
        PER_SECOND("/s", true), MILLIS("ms", false), KIB("KiB", false), MIB("MiB", false);

        private final String symbol;
        private final boolean higherIsBetter;

        Unit(String symbol, boolean higherIsBetter) {
            this.symbol = symbol;
            this.higherIsBetter = higherIsBetter;
        }

        public boolean higherIsBetter() {
            return higherIsBetter;
        }

        /** {@code 12.3k/s}, {@code 1.25 ms}, {@code 18.2 KiB}: three significant digits are all this machine can vouch for. */
        public String format(double v) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            if (this == PER_SECOND) {
                if (v >= 1e6) {
                    return String.format(Locale.ROOT, "%.2fM/s", v / 1e6);
                }
                if (v >= 1e3) {
                    return String.format(Locale.ROOT, "%.1fk/s", v / 1e3);
                }
                return String.format(Locale.ROOT, "%.0f/s", v);
            }
            return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, symbol);
        }
    }

    /**
     * How a figure is judged: {@code RATIO_AT_LEAST} compares {@code ours / baseline} with
     * {@code value}; {@code AT_MOST} compares {@code ours} itself (a latency, a size); {@code NONE}
     * is reported only.
     */
    public record Target(Kind kind, double value) {
        public enum Kind { NONE, RATIO_AT_LEAST, RATIO_AT_MOST, AT_MOST }

        public static final Target NONE = new Target(Kind.NONE, Double.NaN);

        public static Target ratioAtLeast(double ratio) {
            return new Target(Kind.RATIO_AT_LEAST, ratio);
        }

        /** For costs (memory, time): ours may be at most {@code ratio} times the baseline. */
        public static Target ratioAtMost(double ratio) {
            return new Target(Kind.RATIO_AT_MOST, ratio);
        }

        public static Target atMost(double value) {
            return new Target(Kind.AT_MOST, value);
        }
    }

    public Figure {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(baselineName, "baselineName");
        Objects.requireNonNull(target, "target");
        note = note == null ? "" : note;
        for (var text : new String[] {section, name, baselineName, note}) {
            if (text.indexOf('\t') >= 0 || text.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("no tabs or line breaks in a figure's text: " + text);
            }
        }
    }

    /** A figure with a baseline. */
    public static Figure compared(String section, String name, double ours, Unit unit, String baselineName,
            double baseline, Target target, String note) {
        return new Figure(section, name, ours, unit, baselineName, baseline, target, note);
    }

    /** A figure judged on its own (a latency bound, a size), without a baseline. */
    public static Figure alone(String section, String name, double ours, Unit unit, Target target, String note) {
        return new Figure(section, name, ours, unit, "-", Double.NaN, target, note);
    }

    /** {@code ours / baseline}, or {@code NaN} without a baseline. */
    public double ratio() {
        return ours / baseline;
    }

    /** {@code null} when there is no target, else whether it was met (an unmeasured figure misses it). */
    public Boolean met() {
        return switch (target.kind()) {
            case NONE -> null;
            case RATIO_AT_LEAST -> ratio() >= target.value();
            case RATIO_AT_MOST -> ratio() <= target.value();
            case AT_MOST -> ours <= target.value();
        };
    }

    /** The target as the table shows it. */
    public String targetText() {
        return switch (target.kind()) {
            case NONE -> "";
            case RATIO_AT_LEAST -> String.format(Locale.ROOT, "≥ %s×", trim(target.value()));
            case RATIO_AT_MOST -> String.format(Locale.ROOT, "≤ %s×", trim(target.value()));
            case AT_MOST -> "≤ " + unit.format(target.value());
        };
    }

    public String toTsv() {
        return String.join("\t", section, name, Double.toString(ours), unit.name(), baselineName,
                Double.toString(baseline), target.kind().name(), Double.toString(target.value()), note);
    }

    public static Figure fromTsv(String line) {
        var f = line.split("\t", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException("not a figure line (" + f.length + " fields): " + line);
        }
        return new Figure(f[0], f[1], Double.parseDouble(f[2]), Unit.valueOf(f[3]), f[4], Double.parseDouble(f[5]),
                new Target(Target.Kind.valueOf(f[6]), Double.parseDouble(f[7])), f[8]);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
