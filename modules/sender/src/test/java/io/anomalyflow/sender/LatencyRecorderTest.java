package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void emptyRecorderAnswersZero() {
        var r = LatencyRecorder.create();
        assertThat(r.count()).isZero();
        assertThat(r.percentile(50)).isEqualTo(Duration.ZERO);
        assertThat(r.max()).isEqualTo(Duration.ZERO);
        assertThat(r.mean()).isEqualTo(Duration.ZERO);
    }

    @Test
    void bucketsAreContiguousAndNarrowEnough() {
        // every bucket starts where the previous one ended, and is at most 1/128 of its value wide
        long expectedLow = 0;
        for (int i = 0; LatencyRecorder.lowestOf(i) <= Duration.ofHours(1).toNanos() / 1000; i++) {
            assertThat(LatencyRecorder.lowestOf(i)).as("bucket %d", i).isEqualTo(expectedLow);
            long width = LatencyRecorder.widthOf(i);
            if (expectedLow >= 256) {
                assertThat((double) width / expectedLow).isLessThanOrEqualTo(1.0 / 128);
            }
            assertThat(LatencyRecorder.indexOf(expectedLow)).isEqualTo(i);
            assertThat(LatencyRecorder.indexOf(expectedLow + width - 1)).isEqualTo(i);
            expectedLow += width;
        }
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinHalfABucket() {
        var r = LatencyRecorder.create();
        for (long us = 1; us <= 100_000; us++) {
            r.recordNanos(us * 1_000);
        }
        assertThat(r.count()).isEqualTo(100_000);
        assertThat(millis(r.percentile(50))).isCloseTo(50.0, within(50.0 * 0.004));
        assertThat(millis(r.percentile(99))).isCloseTo(99.0, within(99.0 * 0.004));
        assertThat(millis(r.percentile(100))).isCloseTo(100.0, within(100.0 * 0.004));
        assertThat(r.max()).isEqualTo(Duration.ofMillis(100));
        assertThat(millis(r.mean())).isCloseTo(50.0, within(0.01));
    }

    @Test
    void percentilesMatchASortedReferenceOnSkewedData() {
        var random = new Random(42);
        var r = LatencyRecorder.create();
        long[] values = new long[50_000];
        for (int i = 0; i < values.length; i++) {
            // log-normal-ish: mostly ~1 ms with a long tail to seconds
            values[i] = (long) (1_000_000 * Math.exp(random.nextGaussian() * 1.5));
            r.recordNanos(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 10, 50, 90, 99, 99.9}) {
            long reference = values[(int) Math.ceil(p / 100 * values.length) - 1];
            double got = r.percentile(p).toNanos();
            // half a bucket of relative error, plus the 1 µs resolution for tiny values
            assertThat(got).as("p%s", p).isCloseTo(reference, within(reference * 0.0040 + 1_000));
        }
    }

    @Test
    void singleValueIsReportedBackClosely() {
        var r = LatencyRecorder.create();
        r.record(Duration.ofMillis(7));
        assertThat(millis(r.percentile(0))).isCloseTo(7.0, within(0.03));
        assertThat(millis(r.percentile(50))).isCloseTo(7.0, within(0.03));
        assertThat(r.max()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void hugeAndNegativeValuesAreClampedNotLost() {
        var r = LatencyRecorder.create();
        r.record(Duration.ofDays(3));
        r.recordNanos(-5);
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.max()).isEqualTo(Duration.ofDays(3));
        assertThat(r.percentile(0)).isEqualTo(Duration.ZERO);
        assertThat(r.percentile(100)).isGreaterThan(Duration.ofMinutes(59));
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        var r = LatencyRecorder.create();
        assertThatThrownBy(() -> r.percentile(100.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100.5");
        assertThatThrownBy(() -> r.percentile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsFromManyThreadsWithoutLosingAny() throws Exception {
        var r = LatencyRecorder.create();
        int threads = 8;
        int each = 50_000;
        var go = new CountDownLatch(1);
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            long value = (t + 1) * 1_000_000L; // thread t records (t+1) ms
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    r.recordNanos(value);
                }
            }));
        }
        go.countDown();
        for (var w : workers) {
            w.join();
        }
        assertThat(r.count()).isEqualTo((long) threads * each);
        assertThat(r.max()).isEqualTo(Duration.ofMillis(threads));
        // 1..8 ms, equally often: the median is 4 ms, p99 is 8 ms
        assertThat(millis(r.percentile(50))).isCloseTo(4.0, within(0.02));
        assertThat(millis(r.percentile(99))).isCloseTo(8.0, within(0.04));
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
