package io.anomalyflow.app;

import java.util.function.DoubleSupplier;

/**
 * A value read from a supplier at every scrape (a connection state, a map size), so nothing has
 * to keep it up to date. A supplier that throws renders {@code NaN} rather than breaking the scrape.
 */
final class Gauge extends Metric {
    private final DoubleSupplier supplier;

    Gauge(String name, String help, DoubleSupplier supplier) {
        super(name, help);
        this.supplier = supplier;
    }

    @Override
    String type() {
        return "gauge";
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
