package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.Flows;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which threads a {@link JetStreamSink} calls its subscription from, and what it lets run on the
 * appender's completion thread: the two ways its calls could collide with the rest of the gateway.
 */
class JetStreamSinkThreadsTest extends StreamTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    protected String prefix() {
        return "sinkthreads";
    }

    private OutgoingMessage toMessage(String item) {
        return new OutgoingMessage(subject, null, item.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A subscription driven by a producer thread of the test: {@code request(n)} releases n permits,
     * the producer delivers one item per permit. It records whether two calls on it ever overlapped.
     */
    private static final class Recording implements Flow.Subscription {
        final Semaphore demand = new Semaphore(0);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();

        @Override
        public void request(long n) {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // widen the window a concurrent call would hit
            }
            demand.release((int) n);
            inside.decrementAndGet();
        }

        @Override
        public void cancel() {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            inside.decrementAndGet();
        }
    }

    /**
     * §2.7: acks complete on the appender's thread while items that fail at once (here every third
     * one cannot be turned into a message) settle on the {@code onNext} thread; both free a slot, and
     * the sink's requests for the next item must still never overlap.
     */
    @Test
    void requestsFromAcksAndFromImmediateFailuresAreSerial() throws Exception {
        int items = 600;
        try (var appender = JetStreamAppender.create(nc, 256, Duration.ofSeconds(10))) {
            for (int iteration = 0; iteration < 15; iteration++) {
                var sink = JetStreamSink.<Integer>create(appender, i -> {
                    if (i % 3 == 0) {
                        throw new IllegalArgumentException("cannot encode " + i);
                    }
                    return toMessage("n" + i);
                }, 8, o -> { });
                var subscription = new Recording();
                var failure = new AtomicReference<Throwable>();
                var producer = Thread.ofPlatform().start(() -> {
                    try {
                        sink.onSubscribe(subscription);
                        for (int i = 0; i < items; i++) {
                            if (!subscription.demand.tryAcquire(30, TimeUnit.SECONDS)) {
                                throw new AssertionError("no demand for item " + i);
                            }
                            sink.onNext(i);
                        }
                        sink.onComplete();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                var summary = sink.completion().get(60, TimeUnit.SECONDS);
                producer.join();
                assertThat(failure.get()).isNull();
                assertThat(summary.total()).isEqualTo(items);
                assertThat(summary.failed()).isEqualTo(items / 3);
                assertThat(subscription.maxInside.get()).as("§2.7: calls on the subscription are serial (iteration %d)", iteration)
                        .isEqualTo(1);
            }
        }
    }

    /**
     * A batch whose next item waits for a publish slot must not hold back other requests' acks: the
     * appender's single completion thread must never run the sink's {@code onNext} (which blocks in
     * {@code append} while every slot is taken). A core subscriber on the hold subject plays a
     * JetStream that has not acked yet, so the test decides when those slots free up.
     */
    @Test
    void aBatchWaitingForASlotDoesNotDelayTheAckOfAnotherAppend() throws Exception {
        var held = new ConcurrentLinkedQueue<Message>();
        Dispatcher dispatcher = nc.createDispatcher(held::add);
        dispatcher.subscribe(subject + "hold");
        var hold = new OutgoingMessage(subject + "hold", null, new byte[] {1});
        var single = new AtomicReference<CompletableFuture<PublishAck>>();
        var holds = new CopyOnWriteArrayList<CompletableFuture<PublishAck>>();
        var sinkThread = new AtomicReference<Thread>();
        var failure = new AtomicReference<Throwable>();
        // Three slots and long timeouts (jnats itself gives up on an ack after its request cleanup interval):
        // slot waits last until the test answers the held messages.
        try (var patient = Nats.connect(NatsConnections.options(server.url(), "patient").requestCleanupInterval(Duration.ofMinutes(2)).build());
             var appender = JetStreamAppender.create(patient, 3, Duration.ofSeconds(60))) {
            holds.add(appender.append(hold));
            var sink = JetStreamSink.<String>create(appender, item -> {
                if (item.equals("b1")) { // where the sink runs onNext for b1, after b0's ack freed its slot
                    try {
                        holds.add(appender.append(hold));
                        holds.add(appender.append(hold)); // every slot is taken now
                        // First in the slot queue: a single POST; second: one more held message.
                        var a = Thread.ofVirtual().start(() -> single.set(appender.append(toMessage("single"))));
                        await().atMost(WAIT).until(() -> a.getState() == Thread.State.TIMED_WAITING);
                        var b = Thread.ofVirtual().start(() -> holds.add(appender.append(hold)));
                        await().atMost(WAIT).until(() -> b.getState() == Thread.State.TIMED_WAITING);
                        sinkThread.set(Thread.currentThread()); // b1's append queues third, behind them
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }
                return toMessage(item);
            }, 1, o -> { });
            Flows.fromIterable(List.of("b0", "b1", "b2")).subscribe(sink);

            await().atMost(WAIT).until(() -> sinkThread.get() != null || failure.get() != null);
            assertThat(failure.get()).isNull();
            await().atMost(WAIT).until(() -> sinkThread.get().getState() == Thread.State.TIMED_WAITING && held.size() == 3);
            try {
                answer(held.poll()); // its slot goes to the single, whose ack then frees it for the held one behind
                await().atMost(WAIT).until(() -> single.get() != null);
                assertThat(single.get()).as("the single append completes although the batch waits for a slot")
                        .succeedsWithin(Duration.ofSeconds(20));
            } finally {
                answerAll(held);
            }
            // the last held message goes out only once its slot is free: keep answering until all are in
            await().atMost(WAIT).until(() -> {
                answerAll(held);
                return holds.size() == 4 && holds.stream().allMatch(CompletableFuture::isDone);
            });
            assertThat(holds).allMatch(h -> !h.isCompletedExceptionally());
            var summary = sink.completion().get(60, TimeUnit.SECONDS);
            assertThat(summary.acknowledged()).isEqualTo(3);
        } finally {
            answerAll(held);
            nc.closeDispatcher(dispatcher);
        }
    }

    /** Answers every held message with an ack, as JetStream would have. */
    private void answerAll(Queue<Message> held) {
        for (Message m; (m = held.poll()) != null; ) {
            answer(m);
        }
    }

    private void answer(Message m) {
        assertThat(m).as("a held message").isNotNull();
        nc.publish(m.getReplyTo(), ("{\"stream\":\"" + stream + "\",\"seq\":1}").getBytes(StandardCharsets.UTF_8));
    }
}
