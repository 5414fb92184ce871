package io.anomalyflow.workshop.reference;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.flow.sse.SseSubscriber;
import io.anomalyflow.workshop.api.SseStep;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Step 06 by {@link SseSubscriber} (flow-support), what the client's {@code /anomalies/stream}
 * uses: the signals hand each item to a writer thread, which writes, flushes, and only then
 * requests the next. The adapter starts that writer on a virtual thread, as the client's handler does.
 * It sets the demand window to one, the step's shape; the client uses a window of 16, where one
 * flush carries whatever arrived while the previous one was on its way.
 */
public final class ReferenceSse implements SseStep {
    /** Creates the adapter. */
    public ReferenceSse() {
    }

    @Override
    public SseStream open(HttpExchange exchange) {
        var sse = SseSubscriber.<SseEvent>builder(exchange, Function.identity()).window(1).build();
        Thread.ofVirtual().name("sse-writer").start(sse::run);
        return new SseStream() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                sse.onSubscribe(subscription);
            }

            @Override
            public void onNext(SseEvent item) {
                sse.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                sse.onError(throwable);
            }

            @Override
            public void onComplete() {
                sse.onComplete();
            }

            @Override
            public void close() {
                sse.close();
            }
        };
    }
}
