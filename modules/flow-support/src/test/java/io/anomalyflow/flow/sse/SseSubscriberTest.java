package io.anomalyflow.flow.sse;

import io.anomalyflow.flow.testing.FlowAssertions;
import io.anomalyflow.flow.testing.ManualPublisher;
import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.testing.RecordingSubscription;
import io.anomalyflow.flow.testing.SeqPublisher;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SseSubscriber} over a stub exchange: wire format, demand, endings. No sockets. */
class SseSubscriberTest {
    /** The demand window of {@link #sse}: small, so that going past it is easy. */
    private static final int WINDOW = 2;
    private final SseTestExchange exchange = new SseTestExchange();

    private SseSubscriber<Integer> sse(Duration heartbeat) {
        return sse(heartbeat, WINDOW);
    }

    private SseSubscriber<Integer> sse(Duration heartbeat, int window) {
        return SseSubscriber.<Integer>builder(exchange, i -> SseEvent.of(String.valueOf(i), "n", "v" + i + "\nend"))
                .heartbeat(heartbeat).window(window).build();
    }

    private static Thread runInBackground(SseSubscriber<?> sse) {
        return Thread.ofVirtual().start(sse::run);
    }

    @Test
    void sendsHeadersThenOneEventPerItemAndEndsOnComplete() throws Exception {
        var sse = SseSubscriber.<Integer>builder(exchange, i -> SseEvent.of(String.valueOf(i), "n", "v" + i + "\nend"))
                .retry(Duration.ofSeconds(3)).build();
        new SeqPublisher(3).subscribe(sse);

        sse.run(); // returns when the stream ended

        assertThat(exchange.status).isEqualTo(200);
        assertThat(exchange.responseLength).as("0 = chunked").isZero();
        assertThat(exchange.getResponseHeaders().getFirst("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(exchange.getResponseHeaders().getFirst("Cache-Control")).isEqualTo("no-cache");
        assertThat(exchange.getResponseHeaders().getFirst("X-Accel-Buffering")).isEqualTo("no");
        assertThat(exchange.getResponseHeaders().containsKey("Content-Encoding")).isFalse();
        assertThat(exchange.body.text()).isEqualTo("retry: 3000\n\n"
                + "id: 0\nevent: n\ndata: v0\ndata: end\n\n"
                + "id: 1\nevent: n\ndata: v1\ndata: end\n\n"
                + "id: 2\nevent: n\ndata: v2\ndata: end\n\n");
        assertThat(sse.completion().get(1, TimeUnit.SECONDS)).isNull();
        assertThat(sse.eventsWritten()).isEqualTo(3);
        assertThat(sse.isOpen()).isFalse();
        assertThat(exchange.closes.get()).isEqualTo(1);
    }

    /** Closing with the last event id cleared writes an empty {@code id:} field after what was written, then ends. */
    @Test
    void closeClearingLastEventIdEndsWithAnEmptyIdField() throws Exception {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == WINDOW);
        source.next(1);
        await().atMost(TIMEOUT).until(() -> sse.eventsWritten() == 1);
        sse.closeClearingLastEventId();
        sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exchange.body.text()).isEqualTo("id: 1\nevent: n\ndata: v1\ndata: end\n\nid:\n\n");
        assertThat(source.cancels()).as("the subscription is cancelled, as by close()").isEqualTo(1);
    }

    @Test
    void requestsTheNextItemOnlyAfterTheWriteAndNeverBlocksTheSignallingThread() throws Exception {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        var gate = new CountDownLatch(1);
        exchange.body.gate = gate; // the "socket" takes nothing for now
        runInBackground(sse);
        // headers are sent, then the first request, for the window — no body write has happened yet
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == WINDOW);

        source.next(1); // the writer now blocks inside write()
        await().atMost(TIMEOUT).until(() -> exchange.body.blocked.get() == 1);
        var signal = CompletableFuture.runAsync(source::complete); // from another thread, while the writer is stuck
        signal.get(5, TimeUnit.SECONDS); // returned although the write is blocked
        assertThat(source.totalRequested()).as("no request while the write is pending").isEqualTo(WINDOW);

        gate.countDown();
        sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(source.totalRequested()).as("one more, for the one written").isEqualTo(WINDOW + 1);
        assertThat(exchange.body.text()).isEqualTo("id: 1\nevent: n\ndata: v1\ndata: end\n\n");
        assertThat(source.cancels()).as("completed upstream: nothing to cancel").isZero();
    }

    /**
     * What arrives while a write is blocked goes out together: written, flushed once, and only then
     * requested again, as many as were written — never more than the window ahead of the socket.
     */
    @Test
    void eventsThatArriveDuringABlockedWriteGoOutWithOneFlushAndAreThenRequestedAgain() throws Exception {
        var sse = sse(Duration.ofMinutes(1), 4);
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        var gate = new CountDownLatch(1);
        exchange.body.gate = gate;
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == 4);
        source.next(1);
        await().atMost(TIMEOUT).until(() -> exchange.body.blocked.get() == 1);
        source.next(2);
        source.next(3);
        source.next(4); // the window is used up: the socket has taken none of them yet
        assertThat(source.totalRequested()).as("nothing more requested while the socket is stuck").isEqualTo(4);
        int flushesBefore = exchange.body.flushes.get();

        gate.countDown();
        await().atMost(TIMEOUT).until(() -> sse.eventsWritten() == 4 && source.totalRequested() == 8);
        assertThat(exchange.body.flushes.get() - flushesBefore).as("event 1, then 2–4 together").isEqualTo(2);
        assertThat(exchange.body.text()).isEqualTo("id: 1\nevent: n\ndata: v1\ndata: end\n\n"
                + "id: 2\nevent: n\ndata: v2\ndata: end\n\n"
                + "id: 3\nevent: n\ndata: v3\ndata: end\n\n"
                + "id: 4\nevent: n\ndata: v4\ndata: end\n\n");
        sse.close();
        sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A window of one writes and flushes each event before it asks for the next. */
    @Test
    void aWindowOfOneAsksForOneItemAtATime() throws Exception {
        var sse = sse(Duration.ofMinutes(1), 1);
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        for (int i = 1; i <= 3; i++) {
            int expected = i;
            await().atMost(TIMEOUT).until(() -> source.totalRequested() == expected);
            source.next(i);
        }
        await().atMost(TIMEOUT).until(() -> sse.eventsWritten() == 3 && source.totalRequested() == 4);
        sse.close();
        sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> SseSubscriber.<Integer>builder(exchange, i -> SseEvent.of("1", "n", "v")).window(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }

    @Test
    void aFailingWriteCancelsTheSubscription() {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == WINDOW);
        exchange.body.failWith = new IOException("Broken pipe");

        source.next(1);

        assertThatThrownBy(() -> sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThat(source.cancels()).isEqualTo(1);
        assertThat(exchange.closes.get()).isEqualTo(1);
        source.next(2); // §2.8: after cancel, ignored without error
    }

    @Test
    void writesHeartbeatCommentsWhenIdle() {
        var sse = sse(Duration.ofMillis(50));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);

        await().atMost(TIMEOUT).until(() -> exchange.body.text().split(": ping\n\n", -1).length > 3);
        assertThat(exchange.body.text()).matches("(: ping\n\n)+");
        sse.close();
        await().atMost(TIMEOUT).until(() -> source.cancels() == 1);
    }

    @Test
    void probesAnIdleStreamMoreOftenThanTheHeartbeatWithATwoByteComment() {
        var sse = SseSubscriber.<Integer>builder(exchange, i -> SseEvent.of(String.valueOf(i)))
                .heartbeat(Duration.ofMillis(300)).probe(Duration.ofMillis(20)).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);

        await().atMost(TIMEOUT).until(() -> exchange.body.text().contains(": ping\n\n"));
        assertThat(exchange.body.text()).as("probes, then a ping after the heartbeat").matches("(?s)(:\n)+: ping\n\n.*");
        assertThat(exchange.body.text()).matches("(:\n|: ping\n\n)+");
        sse.close();
        await().atMost(TIMEOUT).until(() -> source.cancels() == 1);
        assertThatThrownBy(() -> SseSubscriber.<Integer>builder(exchange, i -> SseEvent.of("x")).probe(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe");
    }

    @Test
    void closeCancelsTheSubscriptionAndEndsNormally() throws Exception {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == WINDOW);

        sse.close();

        assertThat(sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void anUpstreamErrorEndsTheResponseWithoutCancelling() {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        var boom = new IllegalStateException("pipeline failed");

        source.error(boom);

        assertThatThrownBy(() -> sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
        assertThat(source.cancels()).isZero();
    }

    @Test
    void onNextWithoutDemandEndsTheStream() {
        var sse = sse(Duration.ofMinutes(1));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        var gate = new CountDownLatch(1);
        exchange.body.gate = gate;
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == WINDOW);
        source.next(1);
        await().atMost(TIMEOUT).until(() -> exchange.body.blocked.get() == 1);

        source.next(2); // the rest of the window
        source.next(3); // nobody asked for it: §1.1 broken upstream
        gate.countDown();

        assertThatThrownBy(() -> sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("§1.1");
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void aFailingEncoderCancelsTheSubscription() {
        var sse = SseSubscriber.<Integer>create(exchange, i -> SseEvent.of("bad\nid", null, "x"));
        var source = new ManualPublisher<Integer>();
        source.subscribe(sse);
        runInBackground(sse);
        await().atMost(TIMEOUT).until(() -> source.totalRequested() == SseSubscriber.DEFAULT_WINDOW);

        source.next(1);

        assertThatThrownBy(() -> sse.completion().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(source.cancels()).isEqualTo(1);
        assertThat(exchange.body.text()).isEmpty();
    }

    @Test
    void refusesASecondSubscriptionALateOneAndASecondRun() throws Exception {
        var sse = sse(Duration.ofMinutes(1));
        var first = new RecordingSubscription();
        var second = new RecordingSubscription();
        sse.onSubscribe(first);
        sse.onSubscribe(second);
        assertThat(second.cancelled.get()).as("§2.5").isEqualTo(1);

        sse.onComplete();
        sse.run();
        assertThatThrownBy(sse::run).isInstanceOf(IllegalStateException.class);
        var late = new RecordingSubscription();
        sse.onSubscribe(late);
        assertThat(late.cancelled.get()).as("after the end").isEqualTo(1);
        assertThatThrownBy(() -> sse.onNext(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> sse.onError(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> sse.onSubscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> sse(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
