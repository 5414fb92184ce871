package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races the subscriber: replies complete on many HTTP threads at once, each asking for one more
 * payload. The upstream here checks what the Reactive Streams rules demand of the subscriber:
 * {@code request}/{@code cancel} never called concurrently (§2.7) nor re-entered from its own
 * emission (§3.3 is the publisher's duty, but a subscriber that re-enters would show here too), and
 * not one unit of demand lost: exactly {@code count} payloads requested and acknowledged.
 */
class HttpSendSubscriberTest {
    private FakeGateway gateway;
    private HttpClient http;
    private ScheduledExecutorService timer;

    @BeforeEach
    void start() throws Exception {
        gateway = FakeGateway.start(0);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        http.shutdownNow();
        gateway.close();
    }

    /** Emits {@code count} payloads synchronously inside {@code request}, and watches how it is called. */
    private static final class CheckingPublisher implements Flow.Publisher<Payload> {
        final int count;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicInteger afterCancel = new AtomicInteger();
        int emitted; // only touched inside request, which the subscriber serialises
        boolean completed;

        CheckingPublisher(int count) {
            this.count = count;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Payload> s) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    try {
                        if (cancelled.get()) {
                            afterCancel.incrementAndGet();
                            return;
                        }
                        requested.addAndGet(n);
                        for (long i = 0; i < n && emitted < count; i++) {
                            int k = emitted++;
                            var json = "{\"id\":\"race-" + k + "\",\"deviceId\":\"1\",\"measurementValue\":1}";
                            s.onNext(new Payload(k, 1, Payload.JSON, json.getBytes(StandardCharsets.UTF_8)));
                        }
                        if (emitted == count && !completed) {
                            completed = true;
                            s.onComplete();
                        }
                    } finally {
                        inside.decrementAndGet();
                    }
                }

                @Override
                public void cancel() {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    cancelled.set(true);
                    inside.decrementAndGet();
                }
            });
        }
    }

    private HttpSendSubscriber subscriber(int concurrency, RunStats stats) {
        return new HttpSendSubscriber(http, gateway.url().resolve("/measurements"), null, Duration.ofSeconds(10), concurrency, 0,
                RetryPolicy.DEFAULT, stats, timer, () -> 0.5);
    }

    @Test
    void manyRepliesAtOnceNeverCallRequestConcurrentlyAndLoseNoDemand() throws Exception {
        for (int iteration = 0; iteration < 5; iteration++) {
            int count = 2_000;
            var stats = new RunStats(URI.create("http://x"), count);
            var publisher = new CheckingPublisher(count);
            var subscriber = subscriber(64, stats);
            publisher.subscribe(subscriber);
            subscriber.done().get(60, TimeUnit.SECONDS);
            var p = stats.progress();
            assertThat(publisher.maxInside.get()).as("request/cancel calls at once (§2.7)").isEqualTo(1);
            assertThat(p.acknowledged()).isEqualTo(count);
            assertThat(p.inFlight()).isZero();
            // 64 at first, then one per finished payload until the upstream completed: exactly count,
            // whatever the interleaving (a lost unit would stall the run, an extra one would show here)
            assertThat(publisher.requested.get()).isEqualTo(count);
        }
        assertThat(gateway.stored()).hasSize(2_000);
        assertThat(gateway.maxConcurrent()).isLessThanOrEqualTo(64);
    }

    @Test
    void stopCancelsOnceAndDropsLaterItems() throws Exception {
        var stats = new RunStats(URI.create("http://x"), 1_000_000);
        var publisher = new CheckingPublisher(1_000_000);
        var subscriber = subscriber(8, stats);
        publisher.subscribe(subscriber);
        subscriber.stop();
        subscriber.done().get(60, TimeUnit.SECONDS);
        assertThat(publisher.cancelled).isTrue();
        var sentAtStop = stats.progress().sent();
        // a late item (§2.8) is neither sent nor counted
        subscriber.onNext(new Payload(999_999, 1, Payload.JSON, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(stats.progress().sent()).isEqualTo(sentAtStop);
        var p = stats.progress();
        assertThat(p.acknowledged() + p.rejected() + p.failed()).isEqualTo(p.sent());
        assertThat(publisher.maxInside.get()).isEqualTo(1);
    }
}
