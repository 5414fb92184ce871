package io.anomalyflow.workshop;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.workshop.api.SseStep;
import java.util.concurrent.Flow;

/**
 * Step 06 (workshop/steps/06-sse-subscriber.md): a subscriber that writes Server-Sent Events to
 * one HTTP response and asks for the next event only after the previous one was written, so a
 * reader that stops reading stops the demand.
 */
public final class SseWriter implements SseStep {
    /** Creates the step. */
    public SseWriter() {
    }

    @Override
    public SseStream open(HttpExchange exchange) {
        return new Stream(exchange);
    }

    /** One response. */
    private static final class Stream implements SseStream {
        private final HttpExchange exchange;
        private volatile Flow.Subscription subscription;

        Stream(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            // TODO 06a: a null subscription is a NullPointerException (§2.13); a second
            //           subscription is cancelled and ignored (§2.5).
            // TODO 06b: send the headers: Content-Type "text/event-stream; charset=utf-8",
            //           Cache-Control "no-cache", then sendResponseHeaders(200, 0) (0: chunked).
            //           If that fails, cancel the subscription.
            // TODO 06c: ask for the first event: one, not Long.MAX_VALUE (§1.1 is on your side too).
            subscription = s;
        }

        @Override
        public void onNext(SseEvent event) {
            // TODO 06d: null is a NullPointerException (§2.13).
            // TODO 06e: write event.encode() as UTF-8 to exchange.getResponseBody(), flush, and only
            //           then request the next event. A failed write: the reader went away: cancel
            //           the subscription and close the exchange, and never throw from here (§2.13).
        }

        @Override
        public void onError(Throwable throwable) {
            // TODO 06f: null is a NullPointerException (§2.13); otherwise end the response
            //           (SSE has no error frame: the reader reconnects). No call on the
            //           subscription after this (§2.3, §2.4).
        }

        @Override
        public void onComplete() {
            // TODO 06f: end the response (close the exchange).
        }

        @Override
        public void close() {
            // TODO 06g: the owner's way to end the stream: cancel the subscription, close the exchange.
        }
    }
}
