package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One shared codec, many threads at once: every result must be the one for that thread's input. */
class EventCodecConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ITERATIONS = 3_000;

    @Test
    void shared_codec_is_safe_from_many_threads() throws Exception {
        var codec = EventCodec.create();
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var results = new ArrayList<Future<Integer>>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < ITERATIONS; i++) {
                        // distinct per thread and iteration, so a result leaking across threads shows
                        var m = new Measurement("t" + thread + "-" + i, Instant.ofEpochSecond(1_795_694_400L + i, thread),
                                "dev-" + thread, new BigDecimal(i + "." + thread + "0"));
                        assertThat(codec.decodeMeasurement(codec.encode(m))).isEqualTo(m);
                        var anomaly = AnomalyRule.DEFAULT.check(i, m.withTimestamp(m.timestamp()));
                        if (anomaly.isPresent()) {
                            assertThat(codec.decodeAnomaly(utf8(codec.toJson(anomaly.get())))).isEqualTo(anomaly.get());
                        }
                        String bad = "[{\"deviceId\":\"ok\",\"measurementValue\":1},{\"deviceId\":\"" + "x".repeat(65 + thread)
                                + "\",\"measurementValue\":" + i + "}]";
                        var e = catchThrowableOfType(InvalidEventException.class, () -> codec.decodeArray(utf8(bad)));
                        assertThat(e.getMessage()).isEqualTo("item 2: deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got "
                                + (65 + thread) + " characters)");
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (var result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(ITERATIONS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
