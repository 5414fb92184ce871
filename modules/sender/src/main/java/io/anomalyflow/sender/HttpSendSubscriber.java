package io.anomalyflow.sender;

import io.anomalyflow.flow.SerialUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The end of the sender's Flow: POSTs each {@link Payload} to the gateway and keeps at most
 * {@code concurrency} of them open at once, by demand alone. It requests {@code concurrency} items
 * at the start and one more each time a payload is finished (acknowledged, rejected or given up
 * on); since a publisher never sends more than requested (§1.1), at most {@code concurrency}
 * payloads are ever in flight, retries and paced waits included.
 *
 * <p>Not acknowledged (503, dropped connection, timeout): the same request (same bytes, same ids) is
 * sent again after the {@link RetryPolicy}'s backoff, on a timer, without holding a thread.
 * With {@code rate > 0} the sender is open-loop: payload {@code i} is due at
 * {@code start + firstIndex / rate}, whatever the replies do (bounded still by {@code concurrency}).
 *
 * <p>Rules: {@code onNext} comes serially from the publisher (§1.3) but completions come from many
 * HTTP threads, so every {@code request}/{@code cancel} goes through {@link SerialUpstream}, which
 * makes them serial (§2.7) and non-reentrant (§3.3). It never throws from an {@code on*} method
 * except for {@code null} (§2.13); items after {@link #stop()} are dropped (§2.8).
 */
final class HttpSendSubscriber implements Flow.Subscriber<Payload> {
    private final HttpClient http;
    private final URI target;
    private final String authorization;
    private final Duration requestTimeout;
    private final int concurrency;
    private final double rate;
    private final RetryPolicy retry;
    private final RunStats stats;
    private final ScheduledExecutorService timer;
    private final DoubleSupplier random;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final AtomicInteger open = new AtomicInteger();      // payloads taken in onNext, not finished
    private final Set<Job> waiting = ConcurrentHashMap.newKeySet(); // jobs parked on the timer
    private final SerialUpstream upstream = SerialUpstream.create(); // the HTTP threads may run onNext: it never blocks
    private volatile boolean upstreamDone;
    private volatile boolean stopped;
    private volatile long startNanos;

    /** One payload on its way: the request is built once and re-sent as is. */
    private static final class Job {
        final Payload payload;
        final HttpRequest request;
        final long startNanos;
        int attempts; // written before each send, read in its completion: happens-before via the HTTP future

        Job(Payload payload, HttpRequest request, long startNanos) {
            this.payload = payload;
            this.request = request;
            this.startNanos = startNanos;
        }
    }

    HttpSendSubscriber(HttpClient http, URI target, String token, Duration requestTimeout, int concurrency,
                       double rate, RetryPolicy retry, RunStats stats, ScheduledExecutorService timer,
                       DoubleSupplier random) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be >= 0: " + rate);
        }
        this.http = Objects.requireNonNull(http, "http");
        this.target = Objects.requireNonNull(target, "target");
        this.authorization = token == null ? null : "Bearer " + token;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.concurrency = concurrency;
        this.rate = rate;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Completes when the upstream ended (or {@link #stop()} was called) and every payload is finished. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (!upstream.set(subscription)) {
            subscription.cancel(); // §2.5
            return;
        }
        startNanos = System.nanoTime(); // before the first request: onNext reads it for pacing
        upstream.request(concurrency);
    }

    @Override
    public void onNext(Payload payload) {
        Objects.requireNonNull(payload, "payload");
        open.incrementAndGet(); // before the check, so stop() cannot see 0 while this payload slips through
        if (stopped || upstreamDone) {
            open.decrementAndGet(); // §2.8: may still arrive after cancel; nothing sent, nothing counted
            maybeDone();
            return;
        }
        stats.started(payload);
        var builder = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Content-Type", payload.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        long due = rate > 0 ? startNanos + (long) (payload.firstIndex() * 1e9 / rate) : System.nanoTime();
        var job = new Job(payload, builder.build(), due);
        long delay = due - System.nanoTime();
        if (delay > 0) {
            later(job, delay);
        } else {
            send(job);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable");
        stats.error("the measurement source failed: " + Replies.describe(throwable));
        upstreamDone = true;
        maybeDone();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        maybeDone();
    }

    /**
     * Stops the run: requests nothing more, cancels the upstream, and gives up at once on payloads
     * waiting for a retry or their paced start (counted as failed). Requests already on the wire
     * finish by themselves (bounded by the request timeout) or fail when the HTTP client is closed.
     */
    void stop() {
        stopped = true;
        upstream.cancel();
        for (var job : waiting) {
            if (waiting.remove(job)) {
                stopped(job);
            }
        }
        maybeDone();
    }

    private void send(Job job) {
        if (stopped) {
            stopped(job);
            return;
        }
        job.attempts++;
        try {
            http.sendAsync(job.request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> onReply(job, response, error));
        } catch (RuntimeException e) { // e.g. the client was closed under us
            onReply(job, null, e);
        }
    }

    private void onReply(Job job, HttpResponse<String> response, Throwable error) {
        var outcome = error != null ? Replies.classify(error) : Replies.classify(response, Instant.now());
        switch (outcome) {
            case Outcome.Acknowledged a -> {
                stats.acknowledged(job.payload, a.duplicates(), System.nanoTime() - job.startNanos);
                finish();
            }
            case Outcome.Rejected r -> {
                stats.rejected(job.payload, r.reason());
                finish();
            }
            case Outcome.Retry r when !stopped && retry.mayRetry(job.attempts) -> {
                stats.retried();
                later(job, retry.backoff(job.attempts, r.retryAfter(), random).toNanos());
            }
            case Outcome.Retry r -> fail(job, stopped ? r.reason() : r.reason() + " (gave up after " + job.attempts + " attempts)");
            case Outcome.Failed f -> fail(job, f.reason());
        }
    }

    private void later(Job job, long delayNanos) {
        waiting.add(job);
        try {
            timer.schedule(() -> {
                if (waiting.remove(job)) { // whoever removes it owns it: this task or stop()
                    send(job);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            if (waiting.remove(job)) {
                stopped(job);
            }
        }
    }

    private void stopped(Job job) {
        stats.stopped(job.payload);
        finish();
    }

    private void fail(Job job, String reason) {
        stats.failed(job.payload, reason);
        finish();
    }

    private void finish() {
        open.decrementAndGet();
        if (!stopped && !upstreamDone) {
            upstream.request(1);
        }
        maybeDone();
    }

    private void maybeDone() {
        // open is incremented in onNext before any finish of that payload, so 0 here after the
        // upstream ended (or we stopped) means nothing is left; complete() is idempotent
        if ((upstreamDone || stopped) && open.get() == 0) {
            done.complete(null);
        }
    }
}
