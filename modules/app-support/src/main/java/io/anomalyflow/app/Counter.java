package io.anomalyflow.app;

import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing count without labels, backed by a {@link LongAdder} so that many
 * request threads can increment it without contending on one memory word. Thread-safe.
 */
public final class Counter extends Metric {
    private final LongAdder value = new LongAdder();

    Counter(String name, String help) {
        super(name, help);
    }

    public void inc() {
        value.increment();
    }

    /** Adds {@code n ≥ 0}; a counter never goes down. */
    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter only goes up: " + n);
        }
        value.add(n);
    }

    public long value() {
        return value.sum();
    }

    @Override
    String type() {
        return "counter";
    }

    @Override
    void renderSamples(StringBuilder out) {
        out.append(name()).append(' ').append(value.sum()).append('\n');
    }
}
