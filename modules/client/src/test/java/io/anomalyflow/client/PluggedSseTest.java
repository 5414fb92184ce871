package io.anomalyflow.client;

import io.anomalyflow.flow.sse.SseEvent;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PluggedSse}: a stream ended before the writer was handed its subscription still cancels
 * that subscription, so the reader's path (its buffer, its place in the hub) does not outlive it;
 * a second subscription is cancelled (§2.5).
 */
class PluggedSseTest {

    /** A writer that keeps its subscription and cancels it on close, as the contract says. */
    static class Writer implements ClientParts.SseWriter {
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(SseEvent item) {
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }

        @Override
        public void close() {
            var s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    static final class Upstream implements Flow.Subscription {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    @Test
    void aStreamEndedBeforeTheWriterGotItsSubscriptionCancelsIt() {
        var upstream = new Upstream();
        var sse = new PluggedSse(new Writer());
        sse.onSubscribe(upstream); // queued for the request thread, which has not run yet
        sse.close();               // a clear of the map, or the client closing, in between
        sse.run();
        assertThat(upstream.cancels).as("the reader's subscription, never handed to the writer").hasValue(1);
    }

    @Test
    void aStreamEndedBeforeItsSubscriptionCameCancelsItOnArrival() {
        var upstream = new Upstream();
        var sse = new PluggedSse(new Writer());
        sse.close();
        sse.run();
        sse.onSubscribe(upstream);
        assertThat(upstream.cancels).hasValue(1);
    }

    @Test
    void aWriterThatThrowsEndsItsStreamAndItsSubscription() {
        var upstream = new Upstream();
        var sse = new PluggedSse(new Writer() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                throw new IllegalStateException("a broken writer");
            }
        });
        sse.onSubscribe(upstream);
        sse.run();
        assertThat(upstream.cancels).hasValue(1);
    }

    @Test
    void aSecondSubscriptionIsCancelledAndNeverReachesTheWriter() {
        var first = new Upstream();
        var second = new Upstream();
        var subscribed = new AtomicInteger();
        var sse = new PluggedSse(new Writer() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscribed.incrementAndGet();
                super.onSubscribe(s);
            }

            @Override
            public void onComplete() {
                subscription.cancel(); // a writer that ends its response and says so
            }
        });
        sse.onSubscribe(first);
        sse.onSubscribe(second); // §2.5
        assertThat(second.cancels).hasValue(1);
        sse.onComplete();
        sse.run();
        assertThat(subscribed).as("§2.12: the writer is subscribed once").hasValue(1);
        assertThat(first.cancels).as("the first is the stream's").hasPositiveValue();
    }
}
