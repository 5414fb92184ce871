package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A counter read from a supplier at each scrape: for counts a library already keeps. */
class SuppliedCounterTest {
    @Test
    void rendersAsACounterWithTheSuppliersCurrentValue() {
        var r = MetricsRegistry.create();
        var kept = new AtomicLong(41);
        r.counter("dropped_total", "Items dropped.", kept::get);
        kept.incrementAndGet();
        assertThat(r.render()).isEqualTo("# HELP dropped_total Items dropped.\n# TYPE dropped_total counter\ndropped_total 42\n");
    }

    @Test
    void aFailingSupplierGivesNaN() {
        var r = MetricsRegistry.create();
        r.counter("broken_total", "h", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(r.render()).contains("broken_total NaN\n");
    }
}
