package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;

/**
 * Whitebox TCK for {@link ConsumerSubscriber}. The probe sees every signal through a thin wrapper
 * that forwards first and reports after, so the rules are checked on the real subscriber; the
 * consumer itself reports {@code onNext}. The puppet's extra requests go straight to the
 * subscription, beside the subscriber's own prefetch.
 */
public class ConsumerSubscriberTckTest extends FlowSubscriberWhiteboxVerification<Integer> {
    public ConsumerSubscriberTckTest() {
        super(TckTimeouts.environment());
    }

    @Override
    protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        var subscriber = Subscribers.<Integer>consumer(probe::registerOnNext, 4);
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        subscription.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        subscriber.cancel();
                    }
                });
            }

            @Override
            public void onNext(Integer item) {
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable error) {
                subscriber.onError(error);
                probe.registerOnError(error);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
