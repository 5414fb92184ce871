package io.anomalyflow.flow.sse;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterMethod;

/**
 * The TCK's subscriber rules (whitebox) for {@link SseSubscriber}, writing into a stub exchange
 * with its {@code run()} loop on a virtual thread, as in production.
 *
 * <p>The SSE subscriber manages its own demand (a window of items, replenished after each flush),
 * so the puppet's {@code triggerRequest} does nothing: the TCK then checks the requests the
 * subscriber makes by itself. {@code signalCancel} is {@link SseSubscriber#close()}, the owner's
 * way to end a stream; the TCK expects the subscription to be cancelled after it.
 */
public class SseSubscriberTckTest extends FlowSubscriberWhiteboxVerification<Integer> {
    private final ConcurrentLinkedQueue<SseSubscriber<Integer>> created = new ConcurrentLinkedQueue<>();

    public SseSubscriberTckTest() {
        super(TckTimeouts.environment());
    }

    /** Ends the writer threads of streams a test left open. */
    @AfterMethod
    public void closeStreams() {
        SseSubscriber<Integer> sse;
        while ((sse = created.poll()) != null) {
            sse.close();
        }
    }

    @Override
    protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        var sse = SseSubscriber.<Integer>builder(new SseTestExchange(), i -> SseEvent.of(String.valueOf(i), "n", "v" + i))
                .heartbeat(Duration.ofMillis(50)).build();
        created.add(sse);
        Thread.ofVirtual().start(sse::run);
        return new Probed<>(sse, probe);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    /** Passes every signal to the SSE subscriber and reports it to the TCK's probe. */
    private static final class Probed<T> implements Flow.Subscriber<T> {
        private final SseSubscriber<T> sse;
        private final WhiteboxSubscriberProbe<T> probe;
        private final AtomicBoolean subscribed = new AtomicBoolean();

        Probed(SseSubscriber<T> sse, WhiteboxSubscriberProbe<T> probe) {
            this.sse = sse;
            this.probe = probe;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            sse.onSubscribe(s); // NPE for null, cancels a second one (§2.5)
            if (subscribed.compareAndSet(false, true)) {
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        // the SSE subscriber requests by itself: a window first, then what each flush took
                    }

                    @Override
                    public void signalCancel() {
                        sse.close();
                    }
                });
            }
        }

        @Override
        public void onNext(T item) {
            sse.onNext(item);
            probe.registerOnNext(item);
        }

        @Override
        public void onError(Throwable t) {
            sse.onError(t);
            probe.registerOnError(t);
        }

        @Override
        public void onComplete() {
            sse.onComplete();
            probe.registerOnComplete();
        }
    }
}
