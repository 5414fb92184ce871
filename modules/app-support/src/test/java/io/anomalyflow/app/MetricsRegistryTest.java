package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    @Test
    void rendersHelpTypeAndSamplesInRegistrationOrder() {
        var r = MetricsRegistry.create();
        var requests = r.counter("app_requests_total", "Replies by status.", "status");
        var accepted = r.counter("app_accepted_total", "Accepted items.");
        r.gauge("app_connected", "1 when connected.", () -> 1);
        var latency = r.histogram("app_seconds", "Latency.", 0.25, 0.5, 1);
        requests.inc("200");
        requests.inc("200");
        requests.inc("404");
        accepted.add(5);
        latency.observe(0.125);
        latency.observe(0.25); // on the bound: le is "less or equal"
        latency.observe(0.75);
        latency.observe(32);

        assertThat(r.render()).isEqualTo("""
                # HELP app_requests_total Replies by status.
                # TYPE app_requests_total counter
                app_requests_total{status="200"} 2
                app_requests_total{status="404"} 1
                # HELP app_accepted_total Accepted items.
                # TYPE app_accepted_total counter
                app_accepted_total 5
                # HELP app_connected 1 when connected.
                # TYPE app_connected gauge
                app_connected 1
                # HELP app_seconds Latency.
                # TYPE app_seconds histogram
                app_seconds_bucket{le="0.25"} 2
                app_seconds_bucket{le="0.5"} 2
                app_seconds_bucket{le="1"} 3
                app_seconds_bucket{le="+Inf"} 4
                app_seconds_sum 33.125
                app_seconds_count 4
                """);
    }

    @Test
    void escapesHelpAndLabelValues() {
        var r = MetricsRegistry.create();
        r.counter("x_total", "a \\ b\nc", "path").inc("/a\"b\\c\nd");
        assertThat(r.render()).contains("# HELP x_total a \\\\ b\\nc\n")
                .contains("x_total{path=\"/a\\\"b\\\\c\\nd\"} 1\n");
    }

    @Test
    void gaugeValuesAreFormattedAndAFailingSupplierGivesNaN() {
        var r = MetricsRegistry.create();
        r.gauge("g_half", "h", () -> 0.5);
        r.gauge("g_inf", "h", () -> Double.POSITIVE_INFINITY);
        r.gauge("g_small", "h", () -> 0.0005);
        r.gauge("g_tiny", "h", () -> 1e-9);
        r.gauge("g_bad", "h", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(r.render()).contains("g_half 0.5\n").contains("g_inf +Inf\n").contains("g_small 0.0005\n").contains("g_tiny 1.0E-9\n").contains("g_bad NaN\n");
    }

    @Test
    void namesAndBucketsAreValidated() {
        var r = MetricsRegistry.create();
        r.counter("ok_total", "h");
        assertThatThrownBy(() -> r.counter("ok_total", "h")).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> r.counter("bad-name", "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.counter("x_total", "h", "__reserved")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.counter("y_total", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.histogram("h1", "h", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.histogram("h2", "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.counter("z_total", "h").add(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        var r = MetricsRegistry.create();
        var plain = r.counter("p_total", "h");
        var labeled = r.counter("l_total", "h", "k");
        var hist = r.histogram("h_seconds", "h", Histogram.DEFAULT_SECONDS);
        int threads = 8;
        int perThread = 20_000;
        var barrier = new CyclicBarrier(threads + 1);
        try (var pool = Executors.newFixedThreadPool(threads + 1)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    barrier.await();
                    for (int i = 0; i < perThread; i++) {
                        plain.inc();
                        labeled.inc(Integer.toString((id + i) % 3));
                        hist.observe(i % 2 == 0 ? 0.002 : 3);
                    }
                    return null;
                }));
            }
            // a scraper racing the writers: every scrape must be self-consistent
            futures.add(pool.submit(() -> {
                barrier.await();
                for (int i = 0; i < 200; i++) {
                    var text = r.render();
                    var inf = valueOf(text, "h_seconds_bucket{le=\"+Inf\"}");
                    assertThat(valueOf(text, "h_seconds_count")).isEqualTo(inf);
                    assertThat(valueOf(text, "h_seconds_bucket{le=\"0.0025\"}")).isLessThanOrEqualTo(inf);
                }
                return null;
            }));
            for (var f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        long total = (long) threads * perThread;
        assertThat(plain.value()).isEqualTo(total);
        assertThat(labeled.value("0") + labeled.value("1") + labeled.value("2")).isEqualTo(total);
        assertThat(hist.count()).isEqualTo(total);
        assertThat(hist.sum()).isCloseTo(total / 2 * 0.002 + total / 2 * 3.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    private static long valueOf(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).map(l -> Long.parseLong(l.substring(series.length() + 1)))
                .findFirst().orElseThrow();
    }
}
