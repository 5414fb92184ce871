package io.anomalyflow.flow.nats;

import static io.anomalyflow.testsupport.TestNats.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.testing.TestSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a subscriber sees: order, start positions, the end, errors, work-queue mode, recovery. */
class JetStreamPublisherTest extends StreamTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected String prefix() {
        return "pub";
    }

    private JetStreamPublisher publisher(JetStreamPublisher.Options.Builder options) {
        return JetStreamPublisher.create(nc, options.build());
    }

    private JetStreamPublisher.Options.Builder options() {
        return JetStreamPublisher.Options.builder(stream);
    }

    private static List<Long> sequences(TestSubscriber<StreamMessage> ts) {
        return ts.values().stream().map(StreamMessage::sequence).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private void awaitNoConsumers() {
        await().atMost(WAIT).until(() -> TestNats.consumers(nc, stream).isEmpty());
    }

    @Test
    void deliversEveryMessageInOrderAndCompletesAtTheEnd() throws Exception {
        TestNats.fill(nc, stream, subject, 1_000, 1_000);
        var publisher = publisher(options().endAtLastPresent(true).maxBatch(64));
        var ts = TestSubscriber.<StreamMessage>create();
        publisher.subscribe(ts);

        ts.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(sequences(ts)).isEqualTo(range(1, 1_000));
        assertThat(TestNats.text(ts.values().get(41).data())).isEqualTo(subject + "#42");
        assertThat(ts.values().get(0).subject()).isEqualTo(subject);
        awaitNoConsumers();
        await().atMost(WAIT).until(() -> publisher.activeSubscriptions() == 0);
    }

    /**
     * A live reader whose pulls outlive the traffic of one expiry, as the client's do (pulls of up to
     * 8192 messages): each pull expires mid-stream. nats-server 2.9 serves open pulls round-robin and
     * sometimes drops an expired one without a 408; a reader that kept two pulls open and counted
     * deliveries against the oldest could end up waiting for a pull the server had finished, with
     * messages waiting for it on the server. With 1 s pulls and about ten expiries under traffic, every
     * message arrives once and in order, no consumer is rebuilt, and the reader never sits idle for
     * the better part of a pull's lifetime while a message it could have had was already published.
     *
     * <p>Only the reader's pauses count: a pause between two deliveries is measured from the later of
     * the earlier delivery and the publish of the next message, so a producer that falls behind its
     * pace on a loaded machine (it runs on its own thread) adds nothing to it.
     */
    @Test
    void aLiveReaderDoesNotPauseWhenItsPullsExpireUnderTraffic() throws Exception {
        var publisher = publisher(options().startPosition(StartPosition.newOnly()).maxBatch(4096)
                .pullExpiry(Duration.ofSeconds(1)).idleHeartbeat(Duration.ofMillis(500)));
        int count = 20_000; // 10 s at 2 000 msg/s
        var publishedAt = new AtomicLongArray(count + 1); // by the payload's number, 1..count
        var order = new ArrayList<Integer>();
        var longestWait = new AtomicLong();
        var received = new AtomicLong();
        publisher.subscribe(new Flow.Subscriber<StreamMessage>() {
            private long lastArrival;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(StreamMessage m) {
                long now = System.nanoTime();
                var text = TestNats.text(m.data());
                int i = Integer.parseInt(text.substring(text.indexOf('#') + 1));
                if (!order.isEmpty()) {
                    long waitingSince = Math.max(lastArrival, publishedAt.get(i));
                    longestWait.accumulateAndGet(now - waitingSince, Math::max);
                }
                order.add(i); // onNext calls are serial (§1.3): one thread at a time
                lastArrival = now;
                received.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        await().atMost(WAIT).until(() -> TestNats.consumers(nc, stream).size() == 1);
        var js = nc.jetStream();
        var producer = Thread.ofPlatform().name("paced-producer").start(() -> {
            long start = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                long due = start + TimeUnit.MICROSECONDS.toNanos(500L * i);
                while (System.nanoTime() - due < 0) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                publishedAt.set(i, System.nanoTime()); // before the publish: a message is never older than this
                js.publishAsync(subject, TestNats.payload(subject, i));
            }
        });
        producer.join(LONG.toMillis());
        assertThat(producer.isAlive()).as("the producer finished").isFalse();
        await().atMost(LONG).until(() -> received.get() >= count);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> received.get() == count); // no extras
        assertThat(order).as("every message once, in order").isEqualTo(IntStream.rangeClosed(1, count).boxed().toList());
        assertThat(publisher.recoveries()).as("no consumer had to be rebuilt").isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(longestWait.get()))
                .as("longest time the reader left a published message waiting after its previous delivery, ms")
                .isLessThan(1_000);
    }

    /** The four demand patterns: unbounded; 0 then unbounded; 0 then exact; cancel after the first. */
    @Test
    void followsEveryDemandPattern() throws Exception {
        TestNats.fill(nc, stream, subject, 20, 20);
        var publisher = publisher(options().endAtLastPresent(true));

        var unbounded = TestSubscriber.<StreamMessage>create();
        publisher.subscribe(unbounded);
        unbounded.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(sequences(unbounded)).isEqualTo(range(1, 20));

        var zeroThenMax = TestSubscriber.<StreamMessage>create(0);
        publisher.subscribe(zeroThenMax);
        zeroThenMax.awaitSubscribed(WAIT);
        zeroThenMax.request(Long.MAX_VALUE).awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(sequences(zeroThenMax)).isEqualTo(range(1, 20));

        var exact = TestSubscriber.<StreamMessage>create(0);
        publisher.subscribe(exact);
        exact.awaitSubscribed(WAIT);
        for (int i = 0; i < 20; i++) {
            exact.request(1).awaitCount(i + 1, WAIT);
        }
        exact.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(sequences(exact)).isEqualTo(range(1, 20));

        var cancelAfterFirst = TestSubscriber.<StreamMessage>create(1);
        publisher.subscribe(cancelAfterFirst);
        cancelAfterFirst.awaitCount(1, WAIT).cancel();
        await().atMost(WAIT).until(() -> publisher.activeSubscriptions() == 0);
        assertThat(sequences(cancelAfterFirst)).containsExactly(1L);
        cancelAfterFirst.assertNotTerminated().assertNoViolations();
        awaitNoConsumers();
    }

    @Test
    void startsWhereAsked() throws Exception {
        TestNats.fill(nc, stream, subject, 100, 100);
        var fromSeq = TestSubscriber.<StreamMessage>create();
        publisher(options().startPosition(StartPosition.fromSequence(60)).endAtLastPresent(true)).subscribe(fromSeq);
        fromSeq.awaitTerminated(WAIT).assertComplete();
        assertThat(sequences(fromSeq)).isEqualTo(range(60, 100));

        var time = TestNats.jsm(nc).getMessage(stream, 80).getTime().toInstant();
        var fromTime = TestSubscriber.<StreamMessage>create();
        publisher(options().startPosition(StartPosition.fromTime(time)).endAtLastPresent(true)).subscribe(fromTime);
        fromTime.awaitTerminated(WAIT).assertComplete();
        assertThat(sequences(fromTime).getFirst()).isBetween(75L, 80L); // same-instant neighbours may come along
        assertThat(sequences(fromTime).getLast()).isEqualTo(100);

        var beyond = TestSubscriber.<StreamMessage>create(0);
        publisher(options().startPosition(StartPosition.fromSequence(500)).endAtLastPresent(true)).subscribe(beyond);
        beyond.awaitTerminated(WAIT).assertComplete();
        assertThat(beyond.values()).as("completes without demand: nothing to deliver").isEmpty();

        var newOnly = TestSubscriber.<StreamMessage>create();
        var live = publisher(options().startPosition(StartPosition.newOnly()));
        live.subscribe(newOnly);
        await().atMost(WAIT).until(() -> TestNats.consumers(nc, stream).size() == 1);
        TestNats.fill(nc, stream, subject, 5, 105);
        newOnly.awaitCount(5, WAIT);
        assertThat(sequences(newOnly)).isEqualTo(range(101, 105));
        newOnly.cancel().assertNoViolations();
    }

    @Test
    void filtersBySubjectAndEndsAfterTheLastMatchingMessage() throws Exception {
        for (int i = 0; i < 30; i++) {
            nc.publish(subject + (i % 3 == 0 ? ".a" : ".b"), TestNats.payload(subject, i));
        }
        TestNats.fill(nc, stream, subject + ".b", 1, 31); // the stream ends with a non-matching message
        var ts = TestSubscriber.<StreamMessage>create();
        publisher(options().filterSubject(subject + ".a").endAtLastPresent(true)).subscribe(ts);
        ts.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(ts.values()).hasSize(10).allMatch(m -> m.subject().equals(subject + ".a"));
        assertThat(sequences(ts)).isSorted();
    }

    @Test
    void anEmptyStreamCompletesAtOnce() {
        var ts = TestSubscriber.<StreamMessage>create(0);
        publisher(options().endAtLastPresent(true)).subscribe(ts);
        ts.awaitTerminated(WAIT).assertComplete().assertNoViolations();
    }

    @Test
    void waitsForNewMessagesWhenNotEnding() throws Exception {
        var ts = TestSubscriber.<StreamMessage>create();
        publisher(options().pullExpiry(Duration.ofSeconds(1)).idleHeartbeat(Duration.ofMillis(300))).subscribe(ts);
        await().atMost(WAIT).until(() -> TestNats.consumers(nc, stream).size() == 1);
        Thread.sleep(2_500); // several pulls expire (408) and are renewed meanwhile
        TestNats.fill(nc, stream, subject, 3, 3);
        ts.awaitCount(3, WAIT).assertNotTerminated().assertNoViolations();
        assertThat(sequences(ts)).isEqualTo(range(1, 3));
        ts.cancel();
        awaitNoConsumers();
    }

    @Test
    void aMissingStreamIsOnSubscribeThenOnError() {
        var ts = TestSubscriber.<StreamMessage>create(0);
        JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder("NO_SUCH_STREAM").build()).subscribe(ts);
        ts.awaitTerminated(WAIT).assertError(JetStreamReadException.class).assertNoViolations();
        assertThat(ts.error()).hasMessageContaining("NO_SUCH_STREAM");
    }

    @Test
    void nonPositiveRequestIsAnError() throws Exception {
        TestNats.fill(nc, stream, subject, 5, 5);
        var ts = TestSubscriber.<StreamMessage>create(0);
        var publisher = publisher(options());
        publisher.subscribe(ts);
        ts.awaitSubscribed(WAIT).request(0);
        ts.awaitTerminated(WAIT).assertError(IllegalArgumentException.class).assertNoViolations();
        assertThat(ts.error()).hasMessageContaining("§3.9");
        await().atMost(WAIT).until(() -> publisher.activeSubscriptions() == 0);
        awaitNoConsumers();
    }

    @Test
    void nullSubscriberIsRefused() {
        assertThatThrownBy(() -> publisher(options()).subscribe(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aDeletedConsumerIsReplacedWithoutGapOrDuplicate() throws Exception {
        TestNats.fill(nc, stream, subject, 200, 200);
        var publisher = publisher(options().endAtLastPresent(true).maxBatch(10)
                .pullExpiry(Duration.ofSeconds(1)).idleHeartbeat(Duration.ofMillis(200)));
        var ts = TestSubscriber.<StreamMessage>create(0);
        publisher.subscribe(ts);
        ts.awaitSubscribed(WAIT).request(50).awaitCount(50, WAIT);
        var consumer = TestNats.consumers(nc, stream).getFirst();
        TestNats.jsm(nc).deleteConsumer(stream, consumer);

        ts.request(Long.MAX_VALUE).awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(sequences(ts)).isEqualTo(range(1, 200));
        assertThat(publisher.recoveries()).isPositive();
        awaitNoConsumers();
    }

    @Test
    void messagesRemovedBeforeTheyCouldBeDeliveredEndWithMessagesLost() throws Exception {
        TestNats.fill(nc, stream, subject, 100, 100);
        var ts = TestSubscriber.<StreamMessage>create(0);
        publisher(options().pullExpiry(Duration.ofSeconds(1)).idleHeartbeat(Duration.ofMillis(200))).subscribe(ts);
        ts.awaitSubscribed(WAIT).request(10).awaitCount(10, WAIT);

        var jsm = TestNats.jsm(nc);
        jsm.purgeStream(stream);                                     // 11..100 are gone
        jsm.deleteConsumer(stream, TestNats.consumers(nc, stream).getFirst()); // and so is our position
        ts.request(10);                                             // the next pull finds no consumer

        ts.awaitTerminated(WAIT).assertError(MessagesLostException.class).assertNoViolations();
        var lost = (MessagesLostException) ts.error();
        assertThat(lost.neededSequence()).isEqualTo(11);
        assertThat(lost.firstAvailableSequence()).isEqualTo(101);
        assertThat(ts.count()).isEqualTo(10);
    }

    @Test
    void aPausedServerIsNoticedBySecondsOfSilenceAndReadingResumes() throws Exception {
        TestNats.fill(nc, stream, subject, 10, 10);
        var publisher = publisher(options().pullExpiry(Duration.ofSeconds(2)).idleHeartbeat(Duration.ofMillis(250)));
        var ts = TestSubscriber.<StreamMessage>create();
        publisher.subscribe(ts);
        ts.awaitCount(10, WAIT);

        server.pause(); // returns once the server really stopped
        try {
            await().atMost(WAIT).until(() -> publisher.recoveries() > 0);
        } finally {
            server.resume();
        }
        TestNats.fill(nc, stream, subject, 10, 20);
        ts.awaitCount(20, WAIT).assertNotTerminated().assertNoViolations();
        assertThat(sequences(ts)).isEqualTo(range(1, 20));
        ts.cancel();
    }

    @Test
    void workQueueSubscribersShareADurableConsumerAndAckEachMessage() throws Exception {
        TestNats.fill(nc, stream, subject, 2_000, 2_000);
        var options = options().durable("workers").maxBatch(50);
        var a = TestSubscriber.<StreamMessage>create();
        var b = TestSubscriber.<StreamMessage>create();
        publisher(options).subscribe(a);
        publisher(options).subscribe(b);

        await().atMost(WAIT).until(() -> a.count() + b.count() >= 2_000);
        var all = new ArrayList<Long>(sequences(a));
        all.addAll(sequences(b));
        assertThat(all).hasSize(2_000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(range(1, 2_000)));
        await().atMost(WAIT).untilAsserted(() -> {
            var info = TestNats.jsm(nc).getConsumerInfo(stream, "workers");
            assertThat(info.getNumAckPending()).as("every message acked").isZero();
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(2_000);
        });
        a.cancel();
        b.cancel();
        a.assertNotTerminated().assertNoViolations();
        b.assertNotTerminated().assertNoViolations();
        Thread.sleep(200);
        assertThat(TestNats.consumers(nc, stream)).as("a durable outlives its subscribers").containsExactly("workers");
    }

    /**
     * With subscriber acks, a delivery is the subscriber's to answer: what it acks is done, what it
     * terminates is never delivered again, and what it leaves unanswered comes again after the ack
     * wait (to the same worker here, the only one), flagged as a redelivery. The consumer is created
     * with the ack wait and max ack pending asked for.
     */
    @Test
    void subscriberAcksLeaveEachAnswerToTheSubscriber() throws Exception {
        TestNats.fill(nc, stream, subject, 30, 30);
        var acks = Acks.on(nc);
        var options = options().durable("acking").subscriberAcks(true).ackWait(Duration.ofSeconds(1)).maxAckPending(64);
        var ts = TestSubscriber.<StreamMessage>create();
        publisher(options).subscribe(ts);
        ts.awaitCount(30, WAIT).assertNoViolations();
        var first = ts.values();
        assertThat(first).allSatisfy(m -> {
            assertThat(m.ackSubject()).startsWith("$JS.ACK.");
            assertThat(m.redelivered()).isFalse();
        });
        for (var m : first) {
            if (m.sequence() <= 10) {
                assertThat(acks.ack(m)).isTrue();
            } else if (m.sequence() <= 20) {
                assertThat(acks.term(m)).isTrue();
            } // 21..30: no answer
        }
        var consumer = TestNats.jsm(nc).getConsumerInfo(stream, "acking").getConsumerConfiguration();
        assertThat(consumer.getAckWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(consumer.getMaxAckPending()).isEqualTo(64);

        ts.awaitCount(40, WAIT);
        var again = ts.values().subList(30, 40);
        assertThat(again).extracting(StreamMessage::sequence).containsExactlyInAnyOrderElementsOf(range(21, 30));
        assertThat(again).allSatisfy(m -> assertThat(m.redelivered()).isTrue()).allSatisfy(m -> assertThat(m.deliveries()).isEqualTo(2));
        again.forEach(acks::ack);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(TestNats.jsm(nc).getConsumerInfo(stream, "acking").getNumAckPending()).isZero());
        Thread.sleep(1_500); // one more ack wait: nothing answered comes back
        assertThat(ts.count()).isEqualTo(40);
        ts.cancel();
        ts.assertNoViolations();
    }

    @Test
    void aMessageWithoutAckSubjectCannotBeAcked() throws Exception {
        TestNats.fill(nc, stream, subject, 1, 1);
        var ts = TestSubscriber.<StreamMessage>create();
        publisher(options().durable("auto")).subscribe(ts);
        ts.awaitCount(1, WAIT);
        assertThat(ts.values().get(0).ackSubject()).as("acked on onNext: nothing for the subscriber to answer").isNull();
        assertThatThrownBy(() -> Acks.on(nc).ack(ts.values().get(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no ack subject");
        ts.cancel();
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> options().subscriberAcks(true).build()).hasMessageContaining("subscriberAcks");
        assertThatThrownBy(() -> options().durable("w").ackWait(Duration.ofMillis(10)).build()).hasMessageContaining("ackWait");
        assertThatThrownBy(() -> options().durable("w").maxAckPending(0).build()).hasMessageContaining("maxAckPending");
        assertThatThrownBy(() -> options().maxBatch(0).build()).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> options().pullExpiry(Duration.ofMillis(500)).build()).hasMessageContaining("pullExpiry");
        assertThatThrownBy(() -> options().idleHeartbeat(Duration.ofSeconds(3)).build())
                .hasMessageContaining("idleHeartbeat");
        assertThatThrownBy(() -> options().durable("w").endAtLastPresent(true).build()).hasMessageContaining("no end");
        assertThatThrownBy(() -> JetStreamPublisher.Options.builder("a.b").build()).hasMessageContaining("'a.b'");
    }
}
