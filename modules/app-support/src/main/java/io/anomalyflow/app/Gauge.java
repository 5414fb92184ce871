package io.anomalyflow.app;

import java.util.function.DoubleSupplier;

/**
 * A value read from a supplier at every scrape (a connection state, a map size), so nothing has
 * to keep it up to date. A supplier that throws renders {@code NaN} rather than breaking the scrape.
 */
record Gauge(String name, String help, DoubleSupplier supplier) implements Metric {
    Gauge {
        Metric.checkName(name);
    }

    @Override
    public String type() {
        return "gauge";
    }

    @Override
    public void renderSamples(StringBuilder out) {
        double v;
        try {
            v = supplier.getAsDouble();
        } catch (RuntimeException e) {
            v = Double.NaN;
        }
        out.append(name).append(' ').append(Metric.formatValue(v)).append('\n');
    }
}
