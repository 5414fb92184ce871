package io.anomalyflow.client;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.Measurement;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the heap one map entry costs, with entries shaped like the real ones (a decoded
 * measurement's fresh strings and decimals, the rule's description, ten devices), and prints it:
 * the figure in docs/client.md comes from here. Not a timing test; the bound is only a guard
 * against an accidental blow-up (say, a copy of the message bytes kept per entry).
 */
class AnomalyStoreMemoryTest {
    static final int ENTRIES = 100_000;

    @Test
    void oneHundredThousandEntriesFitInAFewTensOfMegabytes() {
        var now = Instant.now();
        var store = AnomalyStore.create(Duration.ofHours(1), ENTRIES, InstantSource.fixed(now));
        long before = usedHeapAfterGc();
        for (int seq = 1; seq <= ENTRIES; seq++) {
            // new String / new BigDecimal per entry, as the decoder produces them
            var device = new String(("" + (seq % 10)).toCharArray());
            var value = new BigDecimal(String.format("%d.%d", seq % 20, seq % 10));
            var m = new Measurement(null, now.minusMillis(seq), device, value);
            var anomaly = AnomalyRule.DEFAULT.check(seq, m).orElseThrow();
            store.put(new Detection(seq, anomaly, now.minusMillis(ENTRIES - seq)));
        }
        long after = usedHeapAfterGc();
        assertThat(store.size()).isEqualTo(ENTRIES);
        double perEntry = (after - before) / (double) ENTRIES;
        System.out.printf("AnomalyStore: %d entries use %.1f MB of heap, %.0f bytes per entry%n",
                ENTRIES, (after - before) / 1e6, perEntry);
        assertThat(perEntry).isBetween(50.0, 1_500.0);
        assertThat(store.newest(null, 1)).hasSize(1); // keeps the store reachable until here
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // a few rounds: the first GC may leave garbage for the next
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
