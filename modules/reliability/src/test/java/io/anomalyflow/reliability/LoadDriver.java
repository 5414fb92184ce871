package io.anomalyflow.reliability;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.reliability.Ledger.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady load on the gateway that writes everything into a {@link Ledger}: {@code workers} virtual
 * threads each post one measurement per request ({@code POST /measurements}, JSON) or a batch
 * (NDJSON), every measurement with a new unique id, until {@link #stop()} or until {@code max} measurements were sent. With
 * {@code maxAttempts > 1} it behaves like the sender: a 503 or a failed connection is retried with the
 * same id (the duplicate window makes that safe); a 4xx is never retried.
 *
 * <p>Every attempt is classified as the ledger wants it: 200 → ACKED (with seq and the duplicate
 * flag), 4xx → REJECTED, 503 → FAILED, connection refused → FAILED (it never reached the gateway),
 * any other I/O failure or the request timeout → UNKNOWN. A request timeout also counts as a
 * {@link #hangs() hang} (a connect timeout does not: the request never got in, so it is FAILED): the gateway promises never to hang, so tests assert there were none.
 * Bounded: at most {@code max} ids, {@code maxAttempts} each, each attempt at most the request timeout.
 */
final class LoadDriver implements AutoCloseable {

    /**
     * How to load.
     *
     * @param workers        concurrent requests
     * @param max            most measurements (ids) in all
     * @param maxAttempts    attempts per id (1: no retry)
     * @param backoff        pause after a 503 or a failed attempt before the next request of that worker
     * @param pace           pause between two measurements of one worker (zero: as fast as answers come)
     * @param devices        device ids {@code dev-0 … dev-(n-1)}
     * @param maxValue       values are uniform in {@code [0, maxValue)} with two decimals (100: one in five is an anomaly)
     * @param requestTimeout longest wait for an answer: past it the attempt is UNKNOWN and a hang
     * @param batch          measurements per request: 1 posts JSON, more post NDJSON
     */
    record Settings(int workers, long max, int maxAttempts, Duration backoff, Duration pace, int devices,
                    int maxValue, Duration requestTimeout, int batch) {
        static Settings defaults() {
            return new Settings(8, 100_000, 1, Duration.ofMillis(100), Duration.ZERO, 10, 100, Duration.ofSeconds(15), 1);
        }

        Settings batch(int n) {
            return new Settings(workers, max, maxAttempts, backoff, pace, devices, maxValue, requestTimeout, n);
        }

        Settings workers(int n) {
            return new Settings(n, max, maxAttempts, backoff, pace, devices, maxValue, requestTimeout, batch);
        }

        Settings max(long n) {
            return new Settings(workers, n, maxAttempts, backoff, pace, devices, maxValue, requestTimeout, batch);
        }

        Settings retries(int attempts, Duration pause) {
            return new Settings(workers, max, attempts, pause, pace, devices, maxValue, requestTimeout, batch);
        }

        Settings pace(Duration d) {
            return new Settings(workers, max, maxAttempts, backoff, d, devices, maxValue, requestTimeout, batch);
        }

        Settings maxValue(int v) {
            return new Settings(workers, max, maxAttempts, backoff, pace, devices, v, requestTimeout, batch);
        }
    }

    private final URI endpoint;
    private final Ledger ledger;
    private final String idPrefix;
    private final Settings settings;
    private final EventCodec codec = EventCodec.create();
    private final HttpClient http;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private LoadDriver(URI gateway, Ledger ledger, String idPrefix, Settings settings) {
        this.endpoint = gateway.resolve("/measurements");
        this.ledger = ledger;
        this.idPrefix = idPrefix;
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** Starts the workers. {@code idPrefix} makes ids unique across drivers (letters, digits, '-'). */
    static LoadDriver start(URI gateway, Ledger ledger, String idPrefix, Settings settings) {
        var driver = new LoadDriver(gateway, ledger, idPrefix, settings);
        for (int w = 0; w < settings.workers(); w++) {
            var random = new Random(idPrefix.hashCode() * 31L + w);
            driver.threads.add(Thread.ofVirtual().name("load-" + idPrefix + "-" + w).start(() -> driver.work(random)));
        }
        return driver;
    }

    /** Ids acknowledged so far. */
    long acked() {
        return acked.get();
    }

    /** Ids taken so far (sent at least once, or about to be). */
    long issued() {
        return issued.get();
    }

    /** Attempts that got no answer within the request timeout. */
    long hangs() {
        return hangs.get();
    }

    /** How many attempts got each HTTP status (0: no answer). */
    Map<Integer, Long> statuses() {
        var copy = new java.util.TreeMap<Integer, Long>();
        statuses.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Waits until at least {@code n} ids are acknowledged in all; fails after {@code timeout}. */
    void awaitAcked(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.get() + " of " + n + " acknowledged within " + timeout
                        + "; statuses so far " + statuses());
            }
            if (threads.stream().noneMatch(Thread::isAlive)) {
                throw new AssertionError("the load ended (" + issued.get() + " ids) with only " + acked.get()
                        + " of " + n + " acknowledged; statuses " + statuses());
            }
            Thread.sleep(20);
        }
    }

    /** Takes no new ids; workers finish the id they have (with its retries). */
    void stop() {
        stopped = true;
    }

    /** {@link #stop()}, then waits for every worker; fails after {@code timeout}. */
    void stopAndJoin(Duration timeout) throws InterruptedException {
        stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                throw new AssertionError("load worker " + t.getName() + " still busy after " + timeout);
            }
        }
    }

    @Override
    public void close() {
        stop();
        threads.forEach(Thread::interrupt);
        http.shutdownNow(); // never wait for an exchange a failed case left hanging
    }

    private void work(Random random) {
        try {
            while (!stopped) {
                long first = issued.getAndAdd(settings.batch());
                if (first >= settings.max()) {
                    return;
                }
                var batch = new ArrayList<Measurement>();
                for (long n = first; n < Math.min(first + settings.batch(), settings.max()); n++) {
                    var m = new Measurement(idPrefix + "-" + n, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                            "dev-" + (n % settings.devices()),
                            BigDecimal.valueOf(random.nextInt(settings.maxValue() * 100), 2));
                    ledger.sent(m);
                    batch.add(m);
                }
                deliver(batch);
                pause(settings.pace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Attempts one request until acknowledged, rejected, or out of attempts: one measurement as JSON,
     * or several as NDJSON. Every attempt is noted for every id it carried.
     */
    private void deliver(List<Measurement> batch) throws InterruptedException {
        var request = HttpRequest.newBuilder(endpoint).timeout(settings.requestTimeout());
        if (settings.batch() == 1) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(batch.get(0))));
        } else {
            var body = new ByteArrayOutputStream();
            for (var m : batch) {
                body.writeBytes(codec.encode(m));
                body.write('\n');
            }
            request.header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        }
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            var a = send(request.build(), batch.size());
            batch.forEach(m -> ledger.attempt(m.id(), a));
            statuses.computeIfAbsent(a.status(), k -> new AtomicLong()).incrementAndGet();
            if (a.outcome() == Outcome.ACKED) {
                acked.addAndGet(batch.size());
                return;
            }
            if (a.outcome() == Outcome.REJECTED) {
                return;
            }
            pause(settings.backoff());
        }
    }

    private Attempt send(HttpRequest request, int size) throws InterruptedException {
        long sent = System.nanoTime();
        try {
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            int status = r.statusCode();
            if (status != 200) {
                var outcome = status >= 400 && status < 500 ? Outcome.REJECTED : Outcome.FAILED;
                return Attempt.failed(outcome, status, sent, answered, r.body());
            }
            return size == 1 ? GatewayReplies.single(r.body(), sent, answered)
                    : GatewayReplies.batch(r.body(), size, sent, answered);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return Attempt.failed(Outcome.FAILED, 0, sent, System.nanoTime(), e.toString()); // it never got in
        } catch (HttpTimeoutException e) {
            hangs.incrementAndGet();
            return Attempt.failed(Outcome.UNKNOWN, 0, sent, System.nanoTime(), e.toString());
        } catch (IOException e) {
            return Attempt.failed(Outcome.UNKNOWN, 0, sent, System.nanoTime(), e.toString());
        }
    }

    private static void pause(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        }
    }
}
