package io.anomalyflow.workshop.api;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.flow.sse.SseEvent;
import java.util.concurrent.Flow;

/**
 * Step 06: a {@link Flow.Subscriber} that writes each event it receives to an HTTP response as
 * Server-Sent Events, and requests the next only after the write went through.
 */
public interface SseStep {
    /**
     * A new subscriber streaming to {@code exchange}; it sends the response headers itself, once
     * subscribed.
     */
    SseStream open(HttpExchange exchange);

    /**
     * One SSE response seen as a subscriber. It manages its own demand: nobody else calls
     * {@code request} on its subscription.
     */
    interface SseStream extends Flow.Subscriber<SseEvent>, AutoCloseable {
        /** Ends the stream from any thread: the subscription is cancelled and the response closed. */
        @Override
        void close();
    }
}
