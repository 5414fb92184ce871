package io.anomalyflow.app;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A distribution of observed values (latencies, in seconds) over fixed buckets. Each observation
 * increments one {@link LongAdder} (its bucket), the sum and nothing else; the cumulative
 * {@code _bucket{le="…"}} counts are added up at scrape time, and {@code _count} is the {@code +Inf}
 * bucket, so a scrape is always self-consistent even while observations race it. Thread-safe.
 */
public final class Histogram extends Metric {
    /** Latency buckets from 0.5 ms to 10 s, enough for an HTTP request that waits for a JetStream ack. */
    public static final double[] DEFAULT_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(String name, String help, double[] upperBounds) {
        super(name, help);
        if (upperBounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket");
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be finite and increasing: " + Arrays.toString(upperBounds));
            }
        }
        this.bounds = upperBounds.clone();
        this.counts = new LongAdder[bounds.length + 1]; // the last one is +Inf
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one value (NaN is ignored: it belongs in no bucket). */
    public void observe(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int i = Arrays.binarySearch(bounds, value);
        // an exact hit belongs to that bucket (le = "less or equal"); otherwise the insertion point
        counts[i >= 0 ? i : -i - 1].increment();
        sum.add(value);
    }

    /** Records a duration given in nanoseconds, as seconds. */
    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    public long count() {
        long n = 0;
        for (var c : counts) {
            n += c.sum();
        }
        return n;
    }

    public double sum() {
        return sum.sum();
    }

    @Override
    String type() {
        return "histogram";
    }

    @Override
    void renderSamples(StringBuilder out) {
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i].sum();
            var le = i < bounds.length ? Metric.formatValue(bounds[i]) : "+Inf";
            out.append(name()).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name()).append("_sum ").append(Metric.formatValue(sum.sum())).append('\n');
        out.append(name()).append("_count ").append(cumulative).append('\n');
    }
}
