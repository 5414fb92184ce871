package io.anomalyflow.client;

import io.anomalyflow.flow.sse.SseEvent;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Another's {@link ClientParts.SseWriter} run on the reader's own request thread: every signal for
 * the writer is queued, and {@link #run()} (on that thread, as {@code SseSubscriber.run()} is) hands
 * them to the writer in order, so a writer that writes to its socket inside {@code onNext} and
 * blocks there (a reader who stopped reading) holds up only its own thread, never the thread of the
 * hub or of a buffer. The queue holds no more than the writer asked for, plus the end.
 *
 * <p>{@link #run()} returns when the stream ended: a terminal signal went to the writer, the writer
 * cancelled its subscription (a failed write), or {@link #close()} was called, which closes the
 * writer from the calling thread (so a write blocked on the socket fails) and wakes the loop. Then
 * it cancels the reader's subscription itself, which the writer may never have been handed.
 */
final class PluggedSse implements Flow.Subscriber<SseEvent> {
    private static final Runnable END = () -> { };

    private final ClientParts.SseWriter writer;
    private final LinkedBlockingQueue<Runnable> signals = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private volatile Flow.Subscription upstream; // cancelled when run() returns: the writer may never have had it

    PluggedSse(ClientParts.SseWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (upstream != null) {
            subscription.cancel(); // §2.5
            return;
        }
        upstream = subscription;
        if (ended) {
            subscription.cancel(); // the stream ended before its subscription came
            return;
        }
        var watched = new Flow.Subscription() {
            @Override
            public void request(long n) {
                subscription.request(n);
            }

            @Override
            public void cancel() {
                subscription.cancel();
                end(); // the writer gave up (a failed write): the stream is over
            }
        };
        signals.add(() -> writer.onSubscribe(watched));
    }

    @Override
    public void onNext(SseEvent item) {
        Objects.requireNonNull(item, "item"); // §2.13
        signals.add(() -> writer.onNext(item));
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable"); // §2.13
        signals.add(() -> {
            writer.onError(throwable);
            end();
        });
    }

    @Override
    public void onComplete() {
        signals.add(() -> {
            writer.onComplete();
            end();
        });
    }

    /** Ends the stream from any thread: the writer closes its response, the loop of {@link #run()} returns. */
    void close() {
        writer.close();
        end();
    }

    /** Hands the signals to the writer, in order, until the stream ended. On the reader's request thread. */
    void run() {
        try {
            while (!ended) {
                var signal = signals.take();
                if (!ended) {
                    signal.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.close();
        } catch (RuntimeException e) {
            writer.close(); // a writer that throws (§2.13) ends its own stream, nobody else's
        } finally {
            ended = true;
            var s = upstream;
            if (s != null) {
                s.cancel(); // the writer cancels only a subscription it was handed (§3.7: a no-op after the end)
            }
        }
    }

    private void end() {
        ended = true;
        signals.add(END);
    }
}
