package io.anomalyflow.app;

import java.util.function.LongSupplier;

/**
 * A counter whose value is read from a supplier at every scrape: for a count that something else
 * already keeps (a library's own tally), so it need not be mirrored into a {@link Counter}. The
 * supplier must never go down. One that throws renders {@code NaN} rather than breaking the scrape.
 */
final class SuppliedCounter extends Metric {
    private final LongSupplier supplier;

    SuppliedCounter(String name, String help, LongSupplier supplier) {
        super(name, help);
        this.supplier = supplier;
    }

    @Override
    String type() {
        return "counter";
    }

    @Override
    void renderSamples(StringBuilder out) {
        String v;
        try {
            v = Long.toString(supplier.getAsLong());
        } catch (RuntimeException e) {
            v = "NaN";
        }
        out.append(name()).append(' ').append(v).append('\n');
    }
}
