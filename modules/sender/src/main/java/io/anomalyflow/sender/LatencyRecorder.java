package io.anomalyflow.sender;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-memory, thread-safe latency histogram in the spirit of HdrHistogram (written here, no
 * library): values in microseconds go into log-linear buckets, so any recorded value is reported back
 * within 0.4 % (half a bucket) whatever its magnitude, using 3 456 counters (27 KiB) for the range
 * 1 µs … 1 h.
 *
 * <p>Layout: values below 256 µs get one bucket each. Above, every power of two
 * {@code [2^k, 2^(k+1))} is split into 128 equal buckets, i.e. 7 bits of precision after the leading
 * one. A percentile is answered with the middle of the bucket that holds it. Values above one hour are
 * counted in the last bucket (the exact {@link #max()} is kept separately).
 *
 * <p>Recording is lock-free ({@link AtomicLongArray}); reading while others record gives a slightly
 * torn but never corrupt view, good enough for live progress; the final summary is read after the
 * run completed.
 */
public final class LatencyRecorder {
    /** Precision: 2^8 values per power-of-two range below, i.e. 128 buckets per doubling above 256. */
    private static final int SUB_BUCKET_BITS = 8;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;        // 256
    private static final int HALF = SUB_BUCKETS / 2;                     // 128
    private static final long MAX_MICROS = Duration.ofHours(1).toNanos() / 1_000;
    private static final int BUCKETS = indexOf(MAX_MICROS) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();

    private LatencyRecorder() {
    }

    public static LatencyRecorder create() {
        return new LatencyRecorder();
    }

    /** Records one latency; negative values count as 0. */
    public void record(Duration latency) {
        recordNanos(latency.toNanos());
    }

    /** Records one latency given in nanoseconds; negative values count as 0. */
    public void recordNanos(long nanos) {
        long n = Math.max(0, nanos);
        maxNanos.accumulateAndGet(n, Math::max);
        long micros = Math.min(n / 1_000, MAX_MICROS);
        counts.incrementAndGet(indexOf(micros));
        sumMicros.add(micros);
        total.increment();
    }

    /** How many values were recorded. */
    public long count() {
        return total.sum();
    }

    /** The largest value recorded (exact), or zero when nothing was recorded. */
    public Duration max() {
        return Duration.ofNanos(maxNanos.get());
    }

    /** The mean (microsecond resolution), or zero when nothing was recorded. */
    public Duration mean() {
        long n = total.sum();
        return n == 0 ? Duration.ZERO : Duration.ofNanos(sumMicros.sum() * 1_000 / n);
    }

    /**
     * The value below or at which {@code percentile} percent of the recorded values lie, within half a
     * bucket (≤ 0.4 %); zero when nothing was recorded.
     *
     * @param percentile in {@code [0, 100]}
     */
    public Duration percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within [0, 100]: " + percentile);
        }
        long[] snapshot = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return Duration.ZERO;
        }
        // The rank of the wanted value, 1-based: p50 of 1..100 is the 50th value, p100 the last.
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(middleOf(i) * 1_000, maxNanos.get()));
            }
        }
        return max();
    }

    /** Bucket index of a value in microseconds, {@code 0 ≤ micros ≤ MAX_MICROS}. */
    static int indexOf(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        // shift so that the value keeps SUB_BUCKET_BITS significant bits: it lands in [128, 256)
        int shift = 63 - Long.numberOfLeadingZeros(micros) - (SUB_BUCKET_BITS - 1);
        return SUB_BUCKETS + (shift - 1) * HALF + (int) ((micros >>> shift) - HALF);
    }

    /** Lowest value (µs) that falls into bucket {@code index}. */
    static long lowestOf(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int i = index - SUB_BUCKETS;
        int shift = i / HALF + 1;
        return (long) (i % HALF + HALF) << shift;
    }

    /** Width (µs) of bucket {@code index}. */
    static long widthOf(int index) {
        return index < SUB_BUCKETS ? 1 : 1L << ((index - SUB_BUCKETS) / HALF + 1);
    }

    private static long middleOf(int index) {
        return lowestOf(index) + widthOf(index) / 2;
    }
}
