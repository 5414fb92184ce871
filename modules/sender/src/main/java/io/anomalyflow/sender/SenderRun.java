package io.anomalyflow.sender;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running (or finished) sender run, from {@link Sender#start}: its live {@link #progress()}, its
 * {@link #completion()} with the {@link Summary}, and {@link #close()} to stop it early and release
 * its HTTP client and timer. The CLI and the web page use this same handle.
 *
 * <p>Stopping sends nothing new; payloads waiting for a retry are given up at once; requests on the
 * wire get until their timeout to answer, then the HTTP client is shut down under them. Whatever is
 * not acknowledged by then is counted as failed or not sent, never lost silently.
 */
public final class SenderRun implements AutoCloseable {
    private final String runId;
    private final SenderConfig config;
    private final RunStats stats;
    private final HttpSendSubscriber subscriber;
    private final HttpClient http;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Summary> completion;

    SenderRun(String runId, SenderConfig config, RunStats stats, HttpSendSubscriber subscriber, HttpClient http,
              ExecutorService executor, ScheduledExecutorService timer) {
        this.runId = runId;
        this.config = config;
        this.stats = stats;
        this.subscriber = subscriber;
        this.http = http;
        this.executor = executor;
        this.timer = timer;
        this.completion = subscriber.done().thenApply(ignored -> {
            stats.end();
            release(false);
            return stats.summary();
        });
    }

    /** The prefix of this run's measurement ids ({@code <runId>-<n>}). */
    public String runId() {
        return runId;
    }

    public SenderConfig config() {
        return config;
    }

    /** A snapshot of the counters now. */
    public Progress progress() {
        return stats.progress();
    }

    public boolean isDone() {
        return completion.isDone();
    }

    /** Completes with the summary when every payload has its outcome. A copy: completing it does nothing to the run. */
    public CompletableFuture<Summary> completion() {
        return completion.copy();
    }

    /** Waits at most {@code timeout} for the summary. */
    public Summary await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops sending new requests; returns at once (see the class comment for what happens to the rest). */
    public void stop() {
        subscriber.stop();
    }

    /** Stops the run if it still runs, waits (bounded) for its summary, and releases its resources. */
    @Override
    public void close() {
        if (!completion.isDone()) {
            subscriber.stop();
            if (!waitFor(config.requestTimeout().plusSeconds(1))) {
                http.shutdownNow(); // in-flight exchanges fail now; their payloads count as failed
                waitFor(Duration.ofSeconds(5));
            }
        }
        release(true);
    }

    private boolean waitFor(Duration timeout) {
        try {
            completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void release(boolean now) {
        timer.shutdownNow();
        if (now) {
            http.shutdownNow();
            executor.shutdownNow();
        } else {
            // from the completion callback, itself on an executor thread: don't wait for ourselves
            http.shutdown();
            executor.shutdown();
        }
    }
}
