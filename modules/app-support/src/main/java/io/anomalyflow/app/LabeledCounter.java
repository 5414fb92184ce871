package io.anomalyflow.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter family with one label ({@code requests_total{status="200"}}): one {@link LongAdder}
 * per label value, created on first use. Thread-safe. Keep the label's values few and bounded
 * (status codes, not device ids): every value becomes a time series for ever.
 */
public final class LabeledCounter extends Metric {
    private final String label;
    private final ConcurrentHashMap<String, LongAdder> values = new ConcurrentHashMap<>();

    LabeledCounter(String name, String help, String label) {
        super(name, help);
        this.label = Metric.checkLabel(label);
    }

    public void inc(String labelValue) {
        add(labelValue, 1);
    }

    /** Adds {@code n ≥ 0} to the series of {@code labelValue}. */
    public void add(String labelValue, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter only goes up: " + n);
        }
        values.computeIfAbsent(labelValue, v -> new LongAdder()).add(n);
    }

    /** The count for {@code labelValue}, 0 when never incremented. */
    public long value(String labelValue) {
        var adder = values.get(labelValue);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    String type() {
        return "counter";
    }

    @Override
    void renderSamples(StringBuilder out) {
        // sorted, so that two scrapes list the series in the same order
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            out.append(name()).append('{').append(label).append("=\"").append(Metric.escapeLabelValue(e.getKey()))
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
    }
}
