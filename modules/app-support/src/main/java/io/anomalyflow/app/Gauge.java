package io.anomalyflow.app;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A value read from a supplier at every scrape (a connection state, a map size), so nothing has
 * to keep it up to date. A supplier that throws renders {@code NaN} rather than breaking the scrape.
 * The same, typed {@code counter}, serves a count that something else already keeps (a library's
 * own tally) and that only goes up ({@link #counter}).
 */
final class Gauge extends Metric {
    private final DoubleSupplier supplier;
    private final String type;

    Gauge(String name, String help, DoubleSupplier supplier) {
        this(name, help, supplier, "gauge");
    }

    private Gauge(String name, String help, DoubleSupplier supplier, String type) {
        super(name, help);
        this.supplier = supplier;
        this.type = type;
    }

    /** A counter read from {@code supplier} at every scrape; it must never go down. */
    static Gauge counter(String name, String help, LongSupplier supplier) {
        return new Gauge(name, help, supplier::getAsLong, "counter");
    }

    @Override
    String type() {
        return type;
    }

    @Override
    void renderSamples(StringBuilder out) {
        double v;
        try {
            v = supplier.getAsDouble();
        } catch (RuntimeException e) {
            v = Double.NaN;
        }
        out.append(name()).append(' ').append(Metric.formatValue(v)).append('\n');
    }
}
