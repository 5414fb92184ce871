package io.anomalyflow.flow.sse;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link Flow.Subscriber} that streams items as Server-Sent Events over one
 * {@code com.sun.net.httpserver} exchange, with TCP backpressure turned into Flow backpressure.
 *
 * <p><b>Threads.</b> The signals ({@code onNext} …) usually come from a shared thread (a
 * {@link io.anomalyflow.flow.MulticastHub}'s drain serves every reader), so they never block: they hand the item
 * over and return. The writing happens in {@link #run()}, which the exchange's handler calls on
 * its own (virtual) thread and which returns when the stream ended. That thread sends {@code 200}
 * with {@code Content-Type: text/event-stream; charset=utf-8}, {@code Cache-Control: no-cache},
 * {@code X-Accel-Buffering: no}, chunked; then writes each item as one {@link SseEvent}.
 *
 * <p><b>Demand follows the socket.</b> The writer first requests a {@link Builder#window window} of
 * items (16 by default). Whatever has arrived when it is free goes out together: every pending
 * event is written, then flushed once, and only when that flush returned does it request as many
 * items as it just wrote. So no more than the window is ever requested and not yet on the wire
 * (§1.1: an {@code onNext} beyond it ends the stream), a busy reader gets its events in one chunk
 * and one system call instead of one per event, and a reader that does not read stops the demand
 * once the socket buffers are full. Every {@code request}/{@code cancel} is made from that thread
 * (§2.7).
 *
 * <p><b>Idle streams.</b> The JDK server tells nobody when a reader closes its connection, and it
 * does not read the socket while a response is open: a reader that went away is only noticed by a
 * write that fails, which is the second write after the close (the first one draws the peer's
 * reset). So a stream idle for the {@link Builder#probe probe} interval (1 s by default) gets the
 * two-byte comment {@code :\n}, and a closed reader is detected, and its subscription cancelled,
 * within about two probe intervals whatever the heartbeat. When idle for the heartbeat interval
 * (15 s by default) it writes the comment {@code : ping} instead, for people and proxies watching.
 *
 * <p><b>Endings.</b> {@code onComplete}: after the pending item, the response ends normally.
 * {@code onError}: the response ends too (SSE has no error frame; the reader reconnects). A failed
 * write (the reader went away), a failing encoder, {@link #close()} or an interrupt: the
 * subscription is cancelled and the response ends. {@link #completion()} then completes — normally
 * after {@code onComplete} or {@code close()}, exceptionally with the cause otherwise — so the owner
 * can count open readers. A second {@code onSubscribe} is cancelled (§2.5); {@code null}s throw
 * NPE (§2.13); items after the end are ignored (§2.8).
 *
 * <p>JDK 21 note: the JDK server's socket stream writes inside {@code synchronized}, so on JDK 21
 * (before JEP 491) a writer blocked by a full socket pins its carrier thread.
 *
 * @param <T> the item type
 */
public final class SseSubscriber<T> implements Flow.Subscriber<T> {
    /** The default {@link Builder#window window}: items requested ahead of the socket. */
    public static final int DEFAULT_WINDOW = 16;

    private final HttpExchange exchange;
    private final Function<? super T, SseEvent> encoder;
    private final long heartbeatNanos;
    private final long probeNanos;
    private final Duration retry;
    private final int window;
    private final SseHandoff<T> handoff = new SseHandoff<>();
    private volatile boolean clearLastEventId;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();

    private SseSubscriber(Builder<T> b) {
        if (b.heartbeat.isNegative() || b.heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive: " + b.heartbeat);
        }
        if (b.probe.isNegative() || b.probe.isZero()) {
            throw new IllegalArgumentException("probe must be positive: " + b.probe);
        }
        if (b.retry != null && b.retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative: " + b.retry);
        }
        this.exchange = b.exchange;
        this.encoder = b.encoder;
        this.heartbeatNanos = b.heartbeat.toNanos();
        this.probeNanos = b.probe.toNanos();
        if (b.window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + b.window);
        }
        this.retry = b.retry;
        this.window = b.window;
    }

    /** A subscriber with a 15 s heartbeat, a 1 s probe and no {@code retry:} line. */
    public static <T> SseSubscriber<T> create(HttpExchange exchange, Function<? super T, SseEvent> encoder) {
        return SseSubscriber.<T>builder(exchange, encoder).build();
    }

    public static <T> Builder<T> builder(HttpExchange exchange, Function<? super T, SseEvent> encoder) {
        return new Builder<>(exchange, encoder);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription"); // §2.13
        if (!handoff.subscribe(s)) {
            s.cancel(); // §2.5, or the stream already ended
        }
    }

    @Override
    public void onNext(T item) {
        handoff.item(Objects.requireNonNull(item, "item")); // §2.13
    }

    @Override
    public void onError(Throwable throwable) {
        handoff.error(Objects.requireNonNull(throwable, "throwable")); // §2.13
    }

    @Override
    public void onComplete() {
        handoff.complete();
    }

    /**
     * Streams until the upstream ends, the reader goes away or {@link #close()} is called; call it
     * once, from the exchange's handler thread. Closes the exchange before returning.
     *
     * @throws IllegalStateException when called a second time
     */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("run() was called already");
        }
        Throwable outcome;
        try {
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "text/event-stream; charset=utf-8");
            headers.set("Cache-Control", "no-cache");
            headers.set("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
            exchange.sendResponseHeaders(200, 0); // 0: chunked, length unknown
            var out = exchange.getResponseBody();
            if (retry != null) {
                write(out, "retry: " + retry.toMillis() + "\n\n");
            }
            outcome = stream(out);
        } catch (IOException | RuntimeException e) { // the reader went away, or the encoder failed
            outcome = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = e;
        }
        finish(outcome);
    }

    /** Ends the stream from any thread: the writer cancels the subscription and closes the response. */
    public void close() {
        handoff.close();
    }

    /**
     * Ends the stream as {@link #close()} does, after an empty {@code id:} field, which clears the
     * reader's last event id: an {@code EventSource} then reconnects without {@code Last-Event-ID}.
     * For ids that stopped meaning what they meant (a stream re-created with its sequences anew).
     */
    public void closeClearingLastEventId() {
        clearLastEventId = true;
        handoff.close();
    }

    /** Completes when {@link #run()} has ended the response (see the class comment for how). */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** Whether {@link #run()} has started and the response has not ended yet. */
    public boolean isOpen() {
        return started.get() && !completion.isDone();
    }

    /** Events written and flushed so far (heartbeats not included). */
    public long eventsWritten() {
        return written.get();
    }

    /** The writer loop: returns the upstream's error, or {@code null} after completion or close. */
    private Throwable stream(OutputStream out) throws IOException, InterruptedException {
        var batch = new ArrayList<T>(); // the writer's own: filled by next(), emptied after each write
        long lastWrite = System.nanoTime(); // anything: the probe counts from here
        long lastBeat = lastWrite;          // an event or a ping: the heartbeat counts from here
        for (;;) {
            switch (handoff.next(Math.min(lastWrite + probeNanos, lastBeat + heartbeatNanos), batch)) {
                case SseHandoff.Step.Write<T> w -> {
                    int n = batch.size();
                    for (int i = 0; i < n; i++) {
                        out.write(encoder.apply(batch.get(i)).encode().getBytes(StandardCharsets.UTF_8));
                    }
                    batch.clear(); // before the flush, which may block: a stuck reader holds no items here
                    out.flush(); // one chunk for the whole batch, on the wire now
                    written.addAndGet(n);
                    lastWrite = lastBeat = System.nanoTime();
                    handoff.request(n); // only now: the socket took them
                }
                case SseHandoff.Step.Request<T> r -> handoff.request(window);
                case SseHandoff.Step.Ping<T> p -> {
                    long now = System.nanoTime();
                    if (now - lastBeat >= heartbeatNanos) {
                        write(out, ": ping\n\n");
                        lastBeat = now;
                    } else {
                        write(out, ":\n"); // a comment line: the reader's parser ignores it
                    }
                    lastWrite = now;
                }
                case SseHandoff.Step.End<T> end -> {
                    if (end.cause() == null && clearLastEventId) {
                        write(out, "id:\n\n"); // dispatched with no data: only the last event id changes
                    }
                    return end.cause();
                }
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void finish(Throwable outcome) {
        var toCancel = handoff.finish();
        if (toCancel != null) {
            toCancel.cancel();
        }
        exchange.close();
        if (outcome == null) {
            completion.complete(null);
        } else {
            completion.completeExceptionally(outcome);
        }
    }

    /**
     * Configures an {@link SseSubscriber}.
     *
     * @param <T> the item type
     */
    public static final class Builder<T> {
        private final HttpExchange exchange;
        private final Function<? super T, SseEvent> encoder;
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration probe = Duration.ofSeconds(1);
        private Duration retry;
        private int window = DEFAULT_WINDOW;

        private Builder(HttpExchange exchange, Function<? super T, SseEvent> encoder) {
            this.exchange = Objects.requireNonNull(exchange, "exchange");
            this.encoder = Objects.requireNonNull(encoder, "encoder");
        }

        /** Idle time after which a {@code : ping} comment is written (default 15 s). */
        public Builder<T> heartbeat(Duration heartbeat) {
            this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Idle time after which a two-byte comment checks that the reader is still there (default
         * 1 s): a closed connection is noticed within about twice this, whatever the heartbeat.
         */
        public Builder<T> probe(Duration probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /** Write {@code retry: <ms>} first: how long a browser waits before reconnecting. */
        public Builder<T> retry(Duration retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * How many items may be requested ahead of the socket (default 16, at least 1): the most
         * events one flush carries, and the most a reader that stopped reading holds beyond its
         * socket buffers. 1 writes and flushes each event before asking for the next.
         */
        public Builder<T> window(int window) {
            this.window = window;
            return this;
        }

        public SseSubscriber<T> build() {
            return new SseSubscriber<>(this);
        }
    }
}
