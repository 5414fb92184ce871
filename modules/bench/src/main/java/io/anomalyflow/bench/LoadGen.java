package io.anomalyflow.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * The load generators of the system part, on {@link Http1} keep-alive sockets with one platform
 * thread per connection.
 * <ul>
 *   <li>{@link #closedLoop}: each connection sends its next request as soon as the previous answer
 *       arrived (what {@code wrk} does); the rate is counted over a window after a warm-up.</li>
 *   <li>{@link #openLoop}: requests are due at a fixed rate whatever the server does; request
 *       {@code i} goes out on connection {@code i mod connections} at {@code start + i/rate}, and
 *       latency is measured from that <em>intended</em> time, so a stalled server is charged for the
 *       requests it delayed (no coordinated omission).</li>
 * </ul>
 */
final class LoadGen {
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private LoadGen() {
    }

    /** What a closed-loop run achieved in its measured window. */
    record Throughput(double unitsPerSecond, long units, long requests, long errors, String lastError) {
    }

    /**
     * Closed loop on {@code connections} connections: warm up, then count for {@code measure}.
     *
     * @param request the bytes of request number {@code i} of a connection (pre-built, cheap)
     * @param units   how many units (measurements) a response stands for; 0 or less counts as an error
     */
    static Throughput closedLoop(int port, int connections, Duration warmup, Duration measure,
            IntFunction<byte[]> request, ToLongFunction<Http1.Response> units) throws InterruptedException {
        var stop = new AtomicBoolean();
        var okUnits = new LongAdder();
        var okRequests = new LongAdder();
        var errors = new LongAdder();
        var lastError = new String[1];
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < connections; c++) {
            int offset = c * 7919; // connections start at different bodies
            threads.add(Thread.ofPlatform().name("closed-loop-" + c).start(() -> {
                Http1 http = null;
                for (int i = offset; !stop.get(); i++) {
                    try {
                        if (http == null) {
                            http = Http1.connect(port, IO_TIMEOUT);
                        }
                        var r = http.send(request.apply(i));
                        long u = r.status() == 200 ? units.applyAsLong(r) : 0;
                        if (u > 0) {
                            okUnits.add(u);
                            okRequests.increment();
                        } else {
                            errors.increment();
                            lastError[0] = r.status() + " " + r.bodyText();
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.increment();
                        lastError[0] = e.toString();
                        http = closeQuietly(http);
                    }
                }
                closeQuietly(http);
            }));
        }
        Thread.sleep(warmup.toMillis());
        long u0 = okUnits.sum();
        long r0 = okRequests.sum();
        long e0 = errors.sum();
        long t0 = System.nanoTime();
        Thread.sleep(measure.toMillis());
        long u1 = okUnits.sum();
        long r1 = okRequests.sum();
        long e1 = errors.sum();
        long t1 = System.nanoTime();
        stop.set(true);
        for (var t : threads) {
            t.join(IO_TIMEOUT.toMillis());
        }
        return new Throughput((u1 - u0) / ((t1 - t0) / 1e9), u1 - u0, r1 - r0, e1 - e0, lastError[0]);
    }

    /**
     * Open loop: request {@code i} ({@code 0 ≤ i < count}) is due at {@code startNanos + i·10^9/rate}. Fills
     * {@code ackNanos[i]} with the time from its due time to its response, or -1 when it failed.
     * Returns when every request was answered (or failed).
     */
    static void openLoop(int port, int connections, double rate, int count, long startNanos,
            IntFunction<byte[]> request, long[] ackNanos) throws InterruptedException {
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads.add(Thread.ofPlatform().name("open-loop-" + c).start(() -> {
                Http1 http = null;
                for (int i = first; i < count; i += connections) {
                    long due = dueNanos(startNanos, rate, i);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        if (http == null) {
                            http = Http1.connect(port, IO_TIMEOUT);
                        }
                        var r = http.send(request.apply(i));
                        ackNanos[i] = r.status() == 200 ? System.nanoTime() - due : -1;
                    } catch (IOException | RuntimeException e) {
                        ackNanos[i] = -1;
                        http = closeQuietly(http);
                    }
                }
                closeQuietly(http);
            }));
        }
        for (var t : threads) {
            t.join();
        }
    }

    static long dueNanos(long startNanos, double rate, int i) {
        return startNanos + (long) (i * 1e9 / rate);
    }

    private static Http1 closeQuietly(Http1 http) {
        if (http != null) {
            try {
                http.close();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
        }
        return null;
    }
}
