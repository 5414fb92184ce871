package io.anomalyflow.sender;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one run, written by the HTTP completion threads and read by progress printers and
 * the page at any time. Each counter is a {@link LongAdder} (cheap under contention); a snapshot
 * reads them one after the other, so it may be a request behind here and there, never corrupt.
 */
final class RunStats {
    private final URI target;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LatencyRecorder latency = LatencyRecorder.create();
    private volatile String lastError;
    private volatile long endNanos;

    RunStats(URI target, long total) {
        this.target = target;
        this.total = total;
    }

    long startNanos() {
        return startNanos;
    }

    void started(Payload p) {
        sent.add(p.size());
        inFlight.incrementAndGet();
    }

    void retried() {
        retries.increment();
    }

    void acknowledged(Payload p, int dupes, long latencyNanos) {
        acknowledged.add(p.size());
        duplicates.add(Math.min(dupes, p.size()));
        latency.recordNanos(latencyNanos);
        inFlight.decrementAndGet();
    }

    void rejected(Payload p, String reason) {
        rejected.add(p.size());
        lastError = reason;
        inFlight.decrementAndGet();
    }

    void failed(Payload p, String reason) {
        failed.add(p.size());
        lastError = reason;
        inFlight.decrementAndGet();
    }

    /** Given up on because the run was stopped: failed, without hiding a more telling last error. */
    void stopped(Payload p) {
        failed.add(p.size());
        if (lastError == null) {
            lastError = "stopped before it was acknowledged";
        }
        inFlight.decrementAndGet();
    }

    /** Remembers a problem that is not about one payload (e.g. the source failed). */
    void error(String reason) {
        lastError = reason;
    }

    /** Freezes the duration; called once when the run is over. */
    void end() {
        endNanos = System.nanoTime();
    }

    Progress progress() {
        long end = endNanos;
        boolean done = end != 0;
        var elapsed = Duration.ofNanos((done ? end : System.nanoTime()) - startNanos);
        return new Progress(total, sent.sum(), acknowledged.sum(), duplicates.sum(), rejected.sum(), failed.sum(),
                retries.sum(), inFlight.get(), elapsed, done);
    }

    Summary summary() {
        var p = progress();
        return new Summary(target, total, p.sent(), p.acknowledged(), p.duplicates(), p.rejected(), p.failed(),
                p.retries(), latency.count(), p.elapsed(), latency.percentile(50), latency.percentile(99),
                latency.max(), lastError);
    }
}
