package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.workshop.api.SseStep;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Step 06, targeted: the response's form, one request per written event, a stuck reader's demand
 * stopping, and a failed write or {@code close()} cancelling. Signals are sent from a separate
 * thread where the subscriber may block in them (a simple design writes inside {@code onNext}).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step06SseWriterTest {
    private final Duration patience = Implementations.patience(Duration.ofSeconds(10));
    private final SseStep step = Implementations.of(SseStep.class);
    private final ExecutorService signals = Executors.newSingleThreadExecutor();
    private final StubExchange exchange = new StubExchange();
    private final RecordingSubscription subscription = new RecordingSubscription();

    @AfterEach
    void stop() {
        exchange.unblockWrites();
        signals.shutdownNow();
    }

    @Test
    @DisplayName("§1.1 headers, then each event as SSE text, the next one requested only after a write")
    void writesEventsOneAtATime() {
        var stream = step.open(exchange);
        signals.execute(() -> stream.onSubscribe(subscription));
        await("the first request (one event: the subscriber asks for what it can write now)").atMost(patience)
                .until(() -> subscription.requested.get() >= 1);
        assertThat(subscription.requested.get()).as("demand after onSubscribe: one event, not more").isEqualTo(1);
        assertThat(exchange.status()).as("status sent").isEqualTo(200);
        assertThat(exchange.getResponseHeaders().getFirst("Content-Type")).as("Content-Type")
                .startsWith("text/event-stream");
        for (int i = 1; i <= 3; i++) {
            var event = SseEvent.of(String.valueOf(i), "anomaly", "{\"n\":" + i + "}");
            signals.execute(() -> stream.onNext(event));
            long expected = i + 1;
            await("request number " + expected + ", after event " + i + " was written").atMost(patience)
                    .until(() -> subscription.requested.get() >= expected);
            assertThat(exchange.text()).as("the body after event %d", i).contains(event.encode());
            assertThat(subscription.requested.get()).as("demand after %d events: one more each", i).isEqualTo(expected);
        }
        signals.execute(stream::onComplete);
        await("the response closed after onComplete").atMost(patience).until(() -> exchange.closes.get() >= 1);
    }

    @Test
    @DisplayName("§1.1 a reader that stops reading stops the demand: no request while a write is stuck")
    void stuckReaderStopsDemand() {
        exchange.blockWrites();
        var stream = step.open(exchange);
        signals.execute(() -> stream.onSubscribe(subscription));
        await("the first request").atMost(patience).until(() -> subscription.requested.get() >= 1);
        var event = SseEvent.of("1", null, "one");
        signals.execute(() -> stream.onNext(event));
        await("the write of the first event (the socket does not take it)").atMost(patience)
                .until(() -> exchange.blockedWrites.get() >= 1);
        assertThat(subscription.requested.get())
                .as("requested while the first write is stuck: a request before the write went through is too early")
                .isEqualTo(1);
        exchange.unblockWrites();
        await("the second request, once the write went through").atMost(patience)
                .until(() -> subscription.requested.get() >= 2);
        assertThat(exchange.text()).contains(event.encode());
    }

    @Test
    @DisplayName("§2.13 a failed write (the reader went away) cancels the subscription, nothing thrown")
    void failedWriteCancels() throws Exception {
        var stream = step.open(exchange);
        signals.execute(() -> stream.onSubscribe(subscription));
        await("the first request").atMost(patience).until(() -> subscription.requested.get() >= 1);
        exchange.failWrites();
        Future<Throwable> onNext = signals.submit(() -> {
            try {
                stream.onNext(SseEvent.of("x"));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        await("the cancel after the failed write").atMost(patience).until(() -> subscription.cancels.get() >= 1);
        assertThat(onNext.get(10, TimeUnit.SECONDS)).as("what onNext threw (§2.13: it must not)").isNull();
        assertThat(subscription.requested.get()).as("no request after the failed write").isEqualTo(1);
    }

    @Test
    @DisplayName("close() cancels the subscription and closes the response")
    void closeCancels() {
        var stream = step.open(exchange);
        signals.execute(() -> stream.onSubscribe(subscription));
        await("the first request").atMost(patience).until(() -> subscription.requested.get() >= 1);
        stream.close();
        await("the cancel after close()").atMost(patience).until(() -> subscription.cancels.get() >= 1);
        await("the response closed after close()").atMost(patience).until(() -> exchange.closes.get() >= 1);
    }
}
