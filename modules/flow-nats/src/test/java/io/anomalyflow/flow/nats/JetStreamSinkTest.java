package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.Flows;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JetStreamSinkTest extends StreamTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    protected String prefix() {
        return "sink";
    }

    private OutgoingMessage toMessage(String item) {
        return new OutgoingMessage(subject, item, item.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> "item-" + i).toList();
    }

    /** Records outcomes and the largest number of items sent but not yet resolved. */
    private static final class Recorder {
        final List<PublishOutcome<String>> outcomes = new CopyOnWriteArrayList<>();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger maxUnresolved = new AtomicInteger();
        final AtomicInteger concurrentCallbacks = new AtomicInteger();
        volatile boolean overlapped;

        void sent() {
            maxUnresolved.accumulateAndGet(sent.incrementAndGet() - outcomes.size(), Math::max);
        }

        void outcome(PublishOutcome<String> o) {
            if (concurrentCallbacks.incrementAndGet() > 1) {
                overlapped = true;
            }
            outcomes.add(o);
            concurrentCallbacks.decrementAndGet();
        }
    }

    @Test
    void theWindowHoldsAFastProducerBackUntilNatsAcks() throws Exception {
        int window = 16;
        var upstream = Flows.fromIterable(items(300));
        var recorder = new Recorder();
        try (var appender = JetStreamAppender.create(nc, 1_000, Duration.ofSeconds(20))) {
            var sink = JetStreamSink.<String>create(appender, item -> {
                recorder.sent();
                return toMessage(item);
            }, window, recorder::outcome);

            server.pause(); // no acks: the sink may have exactly `window` items out, and asks for no more
            try {
                upstream.subscribe(sink);
                await().atMost(WAIT).until(() -> appender.inFlight() == window);
                Thread.sleep(500); // anything beyond the window would have been requested by now
                assertThat(recorder.sent.get()).as("held back by NATS: no item beyond the window").isEqualTo(window);
                assertThat(recorder.outcomes).isEmpty();
            } finally {
                server.resume();
            }

            var summary = sink.completion().get(30, TimeUnit.SECONDS);
            assertThat(summary).isEqualTo(new SinkSummary(300, 0, 0, 1, 300));
            assertThat(recorder.maxUnresolved.get()).isEqualTo(window);
            assertThat(recorder.overlapped).as("outcomes are reported one at a time").isFalse();
            assertThat(recorder.outcomes).hasSize(300).allMatch(o -> o instanceof PublishOutcome.Acked<String>);
        }
    }

    @Test
    void eachItemGetsItsSequenceAndDuplicateFlag() throws Exception {
        var first = items(50);
        var again = first.subList(0, 10);
        var all = new java.util.ArrayList<>(first);
        all.addAll(again);
        var recorder = new Recorder();
        try (var appender = JetStreamAppender.create(nc, 100, Duration.ofSeconds(10))) {
            var sink = JetStreamSink.<String>create(appender, this::toMessage, 8, recorder::outcome);
            Flows.fromIterable(all).subscribe(sink);
            var summary = sink.completion().get(30, TimeUnit.SECONDS);

            assertThat(summary).isEqualTo(new SinkSummary(60, 10, 0, 1, 50));
            var byIndex = new ConcurrentHashMap<Long, PublishOutcome<String>>();
            recorder.outcomes.forEach(o -> byIndex.put(o.index(), o));
            assertThat(byIndex).hasSize(60);
            for (long i = 0; i < 60; i++) {
                var acked = (PublishOutcome.Acked<String>) byIndex.get(i);
                var original = i < 50 ? i : i - 50;
                assertThat(acked.item()).isEqualTo("item-" + original);
                // one connection keeps publish order, so item i was stored as sequence i + 1
                assertThat(acked.ack()).isEqualTo(new PublishAck(original + 1, i >= 50));
            }
        }
    }

    @Test
    void serverStoppedMidBatchEveryItemIsReportedNoneIsLost() throws Exception {
        int count = 3_000;
        int gate = 500;
        var stopped = new CountDownLatch(1);
        var recorder = new Recorder();
        try (var appender = JetStreamAppender.create(nc, 256, Duration.ofSeconds(1))) {
            var sink = JetStreamSink.<String>create(appender, item -> {
                if (recorder.sent.get() == gate) {
                    await().atMost(WAIT).until(() -> stopped.getCount() == 0); // the rest goes out after the stop
                }
                recorder.sent();
                return toMessage(item);
            }, 64, recorder::outcome);
            var upstream = Flows.fromIterable(items(count));
            Thread.ofVirtual().start(() -> upstream.subscribe(sink));
            await().atMost(WAIT).until(() -> recorder.outcomes.size() >= 300);
            server.stop();
            stopped.countDown();

            var summary = sink.completion().get(60, TimeUnit.SECONDS);
            assertThat(summary.total()).isEqualTo(count);
            assertThat(recorder.outcomes).hasSize(count);
            assertThat(recorder.outcomes.stream().map(PublishOutcome::index).distinct().count()).isEqualTo(count);
            assertThat(summary.acknowledged()).isBetween(300L, (long) gate);
            assertThat(summary.failed()).isGreaterThanOrEqualTo(count - gate);
            assertThat(recorder.outcomes).filteredOn(o -> o instanceof PublishOutcome.Failed<String>)
                    .allMatch(o -> ((PublishOutcome.Failed<String>) o).error() instanceof NotAcknowledgedException);
            assertThat(recorder.maxUnresolved.get()).isLessThanOrEqualTo(64);

            // Every success is real: after the restart each acked item is in the store, under its sequence.
            server.startAgain();
            await().atMost(WAIT).until(() -> nc.getStatus() == Connection.Status.CONNECTED);
            var jsm = TestNats.jsm(nc);
            for (var o : recorder.outcomes) {
                if (o instanceof PublishOutcome.Acked<String> a) {
                    var stored = jsm.getMessage(stream, a.ack().sequence());
                    assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).isEqualTo(a.item());
                }
            }
        }
    }

    @Test
    void aFailingConversionFailsThatItemOnly() throws Exception {
        var recorder = new Recorder();
        try (var appender = JetStreamAppender.create(nc, 10, Duration.ofSeconds(10))) {
            var sink = JetStreamSink.<String>create(appender, item -> {
                if (item.equals("item-3")) {
                    throw new IllegalArgumentException("cannot encode " + item);
                }
                return item.equals("item-4") ? null : toMessage(item);
            }, 4, recorder::outcome);
            Flows.fromIterable(items(10)).subscribe(sink);
            var summary = sink.completion().get(30, TimeUnit.SECONDS);
            assertThat(summary.acknowledged()).isEqualTo(8);
            assertThat(summary.failed()).isEqualTo(2);
            assertThat(recorder.outcomes).filteredOn(o -> o instanceof PublishOutcome.Failed<String>)
                    .extracting(PublishOutcome::index).containsExactlyInAnyOrder(3L, 4L);
        }
    }

    @Test
    void anUpstreamErrorCompletesExceptionallyAfterTheOutcomes() throws Exception {
        var recorder = new Recorder();
        try (var appender = JetStreamAppender.create(nc, 10, Duration.ofSeconds(10))) {
            var sink = JetStreamSink.<String>create(appender, this::toMessage, 4, recorder::outcome);
            var boom = new IllegalStateException("upstream broke");
            sink.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            sink.onNext("a");
            sink.onNext("b");
            sink.onError(boom);
            await().atMost(WAIT).until(() -> sink.completion().isDone());
            assertThat(sink.completion()).isCompletedExceptionally();
            assertThat(recorder.outcomes).as("both outcomes came before the failure").hasSize(2);
        }
    }

    @Test
    void aSecondSubscriptionIsCancelled() throws Exception {
        try (var appender = JetStreamAppender.create(nc, 10, Duration.ofSeconds(10))) {
            var sink = JetStreamSink.<String>create(appender, this::toMessage, 4, o -> { });
            var cancelled = new AtomicInteger();
            Flow.Subscription counting = new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                    cancelled.incrementAndGet();
                }
            };
            sink.onSubscribe(counting);
            sink.onSubscribe(counting);
            assertThat(cancelled.get()).isEqualTo(1);
        }
    }

    /**
     * Cancel racing the acks and the sink's own demand: once {@code cancel()} returned nothing more is
     * published, so when the outcomes are in, the stream holds exactly the acknowledged items, and
     * nothing trickles in later.
     */
    @Test
    void afterCancelReturnsNothingMoreIsPublished() throws Exception {
        var many = items(100_000);
        try (var appender = JetStreamAppender.create(nc, 64, Duration.ofSeconds(10))) {
            for (int iteration = 0; iteration < 20; iteration++) {
                long before = TestNats.messageCount(nc, stream);
                var outcomes = new AtomicInteger();
                var sink = JetStreamSink.<String>create(appender,
                        item -> new OutgoingMessage(subject, null, item.getBytes(StandardCharsets.UTF_8)), 16,
                        o -> outcomes.incrementAndGet());
                Flows.fromIterable(many).subscribe(sink);
                int at = 20 + iteration * 37;
                await().atMost(WAIT).until(() -> outcomes.get() >= at);
                sink.cancel();

                var summary = sink.completion().get(30, TimeUnit.SECONDS);
                assertThat(summary.total()).isEqualTo(outcomes.get()).isLessThan(many.size());
                long acked = summary.acknowledged();
                assertThat(TestNats.messageCount(nc, stream) - before).as("stored = acknowledged").isEqualTo(acked);
                await().during(Duration.ofMillis(300)).atMost(WAIT)
                        .until(() -> TestNats.messageCount(nc, stream) - before == acked);
                sink.cancel(); // idempotent
            }
        }
    }
}
