package io.anomalyflow.client;

import io.anomalyflow.events.Anomaly;
import io.anomalyflow.flow.MulticastHub;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CurrentHubTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private final List<MulticastHub<Detection>> made = new ArrayList<>();
    private final CurrentHub hubs = new CurrentHub(() -> {
        var hub = MulticastHub.<Detection>builder().bufferSize(1).build();
        made.add(hub);
        return hub;
    });

    @Test
    void aRunsEndPutsAFreshHubInPlace() {
        var first = hubs.get();

        hubs.replace(first);

        assertThat(hubs.get()).isNotSameAs(first).isSameAs(made.get(1));
    }

    @Test
    void dropsOfRetiredHubsStayCounted() {
        var first = hubs.get();
        dropIn(first, 2);
        assertThat(hubs.droppedTotal()).isEqualTo(2);

        hubs.replace(first);
        dropIn(hubs.get(), 3);

        assertThat(hubs.droppedTotal()).isEqualTo(5);
    }

    @Test
    void aStaleReplaceChangesNothing() {
        var first = hubs.get();
        dropIn(first, 2);
        hubs.replace(first);
        var second = hubs.get();

        hubs.replace(first); // the same run's end, told twice

        assertThat(hubs.get()).isSameAs(second);
        assertThat(made).hasSize(2);
        assertThat(hubs.droppedTotal()).as("the first hub's drops counted once").isEqualTo(2);
    }

    @Test
    void afterStopReplacingARunsEndKeepsItsHub() {
        var first = hubs.get();

        hubs.stopReplacing();
        hubs.replace(first);

        assertThat(hubs.get()).isSameAs(first);
        assertThat(made).hasSize(1);
    }

    @Test
    void theTotalNeverGoesDownWhileHubsAreReplaced() throws Exception {
        // Each hub drops one item, then is replaced by an empty one: a total read between "the old
        // hub is gone" and "its drops are retired" would go down by one.
        var racing = new CurrentHub(() -> MulticastHub.<Detection>builder().bufferSize(1).build());
        int replacements = 5_000;
        var done = new AtomicBoolean();
        var failures = new ConcurrentLinkedQueue<String>();
        var reads = new AtomicInteger();
        var reader = Thread.ofPlatform().start(() -> {
            long last = 0;
            while (!done.get()) {
                long now = racing.droppedTotal();
                if (now < last) {
                    failures.add("went down from " + last + " to " + now);
                }
                if (now > replacements) {
                    failures.add("counted " + now + " drops of " + replacements + " hubs");
                }
                last = now;
                reads.incrementAndGet();
            }
        });
        for (int i = 0; i < replacements; i++) {
            var hub = racing.get();
            dropIn(hub, 1);
            racing.replace(hub);
        }
        done.set(true);
        reader.join(Duration.ofSeconds(30));

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(racing.droppedTotal()).isEqualTo(replacements);
    }

    /** Makes {@code hub} drop {@code n} items: one reader without demand, a buffer of one. */
    private static void dropIn(MulticastHub<Detection> hub, int n) {
        hub.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long ignored) {
            }

            @Override
            public void cancel() {
            }
        });
        hub.subscribe(new Idle(), hub.options().noReplay());
        for (int i = 0; i <= n; i++) {
            hub.onNext(detection(i + 1));
        }
    }

    private static Detection detection(long seq) {
        return new Detection(seq, new Anomaly(seq, T0, "7", BigDecimal.ONE, "Value too low 1"), T0);
    }

    /** A reader that never asks for anything. */
    private static final class Idle implements Flow.Subscriber<Detection> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
        }

        @Override
        public void onNext(Detection item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
