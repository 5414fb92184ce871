package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.workshop.api.SseStep;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterMethod;

/**
 * Step 06, the TCK's subscriber rules (whitebox, §2.x) for the SSE subscriber, writing to a stub
 * exchange. The subscriber manages its own demand (one event, then one more after each write), so
 * the puppet's {@code triggerRequest} does nothing and the TCK checks the requests it makes by
 * itself; {@code signalCancel} is {@code close()}.
 */
public class Step06SseSubscriberTckTest extends FlowSubscriberWhiteboxVerification<SseEvent> {
    private final SseStep step = Implementations.of(SseStep.class);
    private final ConcurrentLinkedQueue<SseStep.SseStream> opened = new ConcurrentLinkedQueue<>();

    /** The TCK with the project's timeouts. */
    public Step06SseSubscriberTckTest() {
        super(TckTimeouts.environment());
    }

    /** Ends the streams a test left open. */
    @AfterMethod
    public void closeStreams() {
        SseStep.SseStream stream;
        while ((stream = opened.poll()) != null) {
            stream.close();
        }
    }

    @Override
    protected Flow.Subscriber<SseEvent> createFlowSubscriber(WhiteboxSubscriberProbe<SseEvent> probe) {
        var stream = step.open(new StubExchange());
        opened.add(stream);
        return new Probed(stream, probe);
    }

    @Override
    public SseEvent createElement(int element) {
        return SseEvent.of(String.valueOf(element), "n", "v" + element);
    }

    /** Passes every signal to the subscriber under test and reports it to the TCK's probe. */
    private static final class Probed implements Flow.Subscriber<SseEvent> {
        private final SseStep.SseStream stream;
        private final WhiteboxSubscriberProbe<SseEvent> probe;
        private final AtomicBoolean subscribed = new AtomicBoolean();

        Probed(SseStep.SseStream stream, WhiteboxSubscriberProbe<SseEvent> probe) {
            this.stream = stream;
            this.probe = probe;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            stream.onSubscribe(s);
            if (subscribed.compareAndSet(false, true)) {
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        // the subscriber requests by itself, one event after each write
                    }

                    @Override
                    public void signalCancel() {
                        stream.close();
                    }
                });
            }
        }

        @Override
        public void onNext(SseEvent item) {
            stream.onNext(item);
            probe.registerOnNext(item);
        }

        @Override
        public void onError(Throwable t) {
            stream.onError(t);
            probe.registerOnError(t);
        }

        @Override
        public void onComplete() {
            stream.onComplete();
            probe.registerOnComplete();
        }
    }
}
