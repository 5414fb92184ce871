package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JetStreamAppenderTest extends StreamTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected String prefix() {
        return "app";
    }

    private OutgoingMessage message(String id) {
        return new OutgoingMessage(subject, id, ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static NotAcknowledgedException failure(CompletableFuture<PublishAck> f) {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + f.join());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NotAcknowledgedException.class);
            return (NotAcknowledgedException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not complete", e);
        }
    }

    @Test
    void acksCarryTheSequenceAndTheDuplicateFlag() throws Exception {
        try (var appender = JetStreamAppender.create(nc, 32, Duration.ofSeconds(5))) {
            var futures = new ArrayList<CompletableFuture<PublishAck>>();
            for (int i = 1; i <= 100; i++) {
                futures.add(appender.append(message("id-" + i)));
            }
            for (int i = 1; i <= 100; i++) {
                assertThat(futures.get(i - 1).get()).isEqualTo(new PublishAck(i, false));
            }
            assertThat(appender.append(message("id-5")).get()).isEqualTo(new PublishAck(5, true));
            assertThat(appender.append(message(null)).get()).isEqualTo(new PublishAck(101, false));
            assertThat(appender.append(message(null)).get()).as("no id, no de-duplication").isEqualTo(new PublishAck(102, false));
            assertThat(TestNats.messageCount(nc, stream)).isEqualTo(102);
            await().atMost(WAIT).until(() -> appender.inFlight() == 0);
        }
    }

    @Test
    void headersAreStoredWithTheMessageAndTheIdStillDeDuplicates() throws Exception {
        try (var appender = JetStreamAppender.create(nc, 4, Duration.ofSeconds(5))) {
            var headers = new Headers().put("Source-Seq", "42");
            var first = appender.append(new OutgoingMessage(subject, "h-1", "x".getBytes(), headers)).get();
            var again = appender.append(new OutgoingMessage(subject, "h-1", "y".getBytes(), headers)).get();
            assertThat(again).isEqualTo(new PublishAck(first.sequence(), true));
            var stored = TestNats.jsm(nc).getMessage(stream, first.sequence());
            assertThat(stored.getHeaders().getFirst("Source-Seq")).isEqualTo("42");
            assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("h-1");
        }
    }

    @Test
    void neverMoreThanMaxInFlightUnderManyConcurrentCallers() throws Exception {
        int maxInFlight = 8;
        var maxSeen = new AtomicInteger();
        var sampling = new AtomicBoolean(true);
        try (var appender = JetStreamAppender.create(nc, maxInFlight, Duration.ofSeconds(10));
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var sampler = Thread.ofPlatform().start(() -> {
                while (sampling.get()) {
                    maxSeen.accumulateAndGet(appender.inFlight(), Math::max);
                    Thread.onSpinWait();
                }
            });
            var acks = new ArrayList<CompletableFuture<PublishAck>>();
            var perCaller = new ArrayList<CompletableFuture<List<CompletableFuture<PublishAck>>>>();
            for (int c = 0; c < 32; c++) {
                int caller = c;
                perCaller.add(CompletableFuture.supplyAsync(() -> {
                    var mine = new ArrayList<CompletableFuture<PublishAck>>();
                    for (int i = 0; i < 50; i++) {
                        var f = appender.append(message("c" + caller + "-" + i));
                        // what the caller sees: its dependent stage never runs on a NATS thread
                        mine.add(f.whenComplete((a, e) -> assertThat(Thread.currentThread().getName()).doesNotStartWith("flow-nats-test")));
                    }
                    return mine;
                }, callers));
            }
            for (var f : perCaller) {
                acks.addAll(f.get());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join();
            assertThat(acks).allMatch(f -> !f.join().duplicate());
            assertThat(acks.stream().map(f -> f.join().sequence()).distinct().count()).isEqualTo(32 * 50);
            assertThat(maxSeen.get()).isBetween(1, maxInFlight);
        }
    }

    /** A paused server answers nothing: every future fails within about ackTimeout, none hangs. */
    @Test
    void ackTimeoutIsRespectedAndARetryWithTheSameIdIsSafe() throws Exception {
        var ackTimeout = Duration.ofMillis(1000);
        try (var appender = JetStreamAppender.create(nc, 4, ackTimeout)) {
            server.pause(); // returns once the server really stopped
            List<CompletableFuture<PublishAck>> first;
            CompletableFuture<PublishAck> fifth;
            try {
                first = List.of(appender.append(message("t-1")), appender.append(message("t-2")),
                        appender.append(message("t-3")), appender.append(message("t-4")));
                assertThat(appender.inFlight()).as("the window is full").isEqualTo(4);
                // The fifth caller waits for a slot (at most ackTimeout plus a sweep period) and gets one when the
                // first time out. It starts half an ackTimeout later, so that its wait ends well after their
                // timeouts fire, even when a loaded machine runs the sweep late (started at once, it lost that race
                // once on a loaded CI machine).
                Thread.sleep(ackTimeout.toMillis() / 2);
                fifth = CompletableFuture.supplyAsync(() -> appender.append(message("t-5")),
                        r -> Thread.ofVirtual().start(r)).thenCompose(f -> f);
                for (var f : first) {
                    var e = failure(f);
                    assertThat(e.possiblyStored()).isTrue();
                    assertThat(e).hasMessageContaining("no ack from JetStream within 1000 ms")
                            .hasMessageContaining("may or may not be stored");
                }
                assertThat(failure(fifth).possiblyStored()).isTrue();
                await().atMost(WAIT).until(() -> appender.inFlight() == 0);
            } finally {
                server.resume();
            }
            // The paused server still had the five publishes in its socket; whether or not they landed,
            // retrying with the same ids stores each exactly once.
            for (int i = 1; i <= 5; i++) {
                assertThat(appender.append(message("t-" + i)).get(10, TimeUnit.SECONDS).sequence()).isBetween(1L, 5L);
            }
            assertThat(TestNats.messageCount(nc, stream)).isEqualTo(5);
        }
    }

    /**
     * The shared sweep: many publishes waiting together on a paused server each fail exactly once, not
     * before their ackTimeout and within ackTimeout + one sweep period (+ generous slack for a busy machine).
     */
    @Test
    void manyPendingPublishesTimeOutTogetherExactlyOnce() throws Exception {
        var ackTimeout = Duration.ofMillis(400);
        long slackNanos = JetStreamAppender.sweepPeriodNanos(ackTimeout) + TimeUnit.SECONDS.toNanos(10);
        int count = 200;
        try (var appender = JetStreamAppender.create(nc, count, ackTimeout)) {
            server.pause();
            try {
                var completions = new AtomicInteger();
                var futures = new ArrayList<CompletableFuture<PublishAck>>();
                var started = new long[count];
                var finished = new java.util.concurrent.atomic.AtomicLongArray(count);
                for (int i = 0; i < count; i++) {
                    int n = i;
                    started[i] = System.nanoTime();
                    futures.add(appender.append(message("m-" + i)).whenComplete((a, e) -> {
                        finished.set(n, System.nanoTime());
                        completions.incrementAndGet();
                    }));
                }
                for (int i = 0; i < count; i++) {
                    var e = failure(futures.get(i));
                    assertThat(e.possiblyStored()).isTrue();
                    assertThat(e).hasMessageContaining("no ack from JetStream within 400 ms");
                    long waited = finished.get(i) - started[i];
                    assertThat(waited).as("message %d waited %d ns", i, waited)
                            .isGreaterThanOrEqualTo(ackTimeout.toNanos())
                            .isLessThan(ackTimeout.toNanos() + slackNanos);
                }
                await().atMost(WAIT).until(() -> appender.inFlight() == 0);
                assertThat(completions.get()).as("each future completed exactly once").isEqualTo(count);
                assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
            } finally {
                server.resume();
            }
        }
    }

    @Test
    void dependentStagesRunOffTheNatsThreadsAndMayAppendAgain() throws Exception {
        try (var appender = JetStreamAppender.create(nc, 2, Duration.ofSeconds(5))) {
            var threads = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            // a dependent stage that appends again (and waits for a slot) must not stall the acks
            var chained = appender.append(message("c-1"))
                    .thenCompose(a -> {
                        threads.add(Thread.currentThread().getName());
                        return appender.append(message("c-2"));
                    })
                    .thenCompose(a -> {
                        threads.add(Thread.currentThread().getName());
                        return appender.append(message("c-3"));
                    });
            assertThat(chained.get(WAIT.toSeconds(), TimeUnit.SECONDS).sequence()).isEqualTo(3);
            // the test thread when the ack won the race with attaching the stage; never a NATS thread
            var self = Thread.currentThread().getName();
            assertThat(threads).hasSize(2).allMatch(name -> name.equals("jetstream-ack-completer") || name.equals(self));
        }
    }

    @Test
    void whileDisconnectedAPublishFailsAtOnceInsteadOfBeingBuffered() throws Exception {
        try (var appender = JetStreamAppender.create(nc, 4, Duration.ofSeconds(5))) {
            assertThat(appender.append(message("before")).get().sequence()).isEqualTo(1);
            server.stop();
            await().atMost(WAIT).until(() -> nc.getStatus() != Connection.Status.CONNECTED);
            var e = failure(appender.append(message("during")));
            assertThat(e.possiblyStored()).as("never sent").isFalse();
            assertThat(e).hasMessageContaining("not sent");

            server.startAgain();
            await().atMost(WAIT).until(() -> nc.getStatus() == Connection.Status.CONNECTED);
            assertThat(appender.append(message("after")).get(10, TimeUnit.SECONDS).sequence()).isEqualTo(2);
            assertThat(TestNats.messageCount(nc, stream)).as("'during' was not stored later").isEqualTo(2);
        }
    }

    @Test
    void aClosedAppenderRefusesNewMessages() throws Exception {
        var appender = JetStreamAppender.create(nc, 4, Duration.ofSeconds(5));
        var ack = appender.append(message("last"));
        appender.close();
        assertThat(ack).isCompleted();
        assertThat(ack.get().sequence()).isEqualTo(1);
        assertThat(failure(appender.append(message("late"))).possiblyStored()).isFalse();
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> JetStreamAppender.create(nc, 0, Duration.ofSeconds(1))).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> JetStreamAppender.create(nc, 1, Duration.ZERO)).hasMessageContaining("ackTimeout");
        assertThatThrownBy(() -> new OutgoingMessage("a b", null, new byte[0])).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> new OutgoingMessage("a", " ", new byte[0])).hasMessageContaining("messageId");
    }
}
