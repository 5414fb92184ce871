package io.anomalyflow.client;

import io.anomalyflow.flow.MulticastHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSE replay against a map that is cleared under it, as the client does when its stream was
 * deleted and created again: the hub and the store are the client's own ({@link AnomalyPipeline#newHub}),
 * driven in the order the supervisor drives them.
 */
class ReplayAfterClearTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final AnomalyStore store = AnomalyStore.create(Duration.ofMinutes(5), 1000, clock);

    /** Records what arrives; requests only when the test says so (a reader whose socket is full). */
    private static final class Reader implements Flow.Subscriber<Detection> {
        final List<Long> seqs = new ArrayList<>();
        Flow.Subscription subscription;
        boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Detection d) {
            seqs.add(d.seq());
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError("unexpected error", t);
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private MulticastHub<Detection> runningHub() {
        var hub = AnomalyPipeline.newHub(store, new ClientMetrics(), 1000, 64);
        hub.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                // the test pushes items itself
            }

            @Override
            public void cancel() {
                // nothing to stop
            }
        });
        return hub;
    }

    private Reader join(MulticastHub<Detection> hub, long afterSeq) {
        var reader = new Reader();
        hub.subscribe(reader, hub.options().replay(() -> store.replayAfter(afterSeq, null)));
        return reader;
    }

    @Test
    void aReaderWhoJoinedBeforeTheMapWasClearedGetsEachNewAnomalyOnce() {
        var hub = runningHub();
        for (long seq = 1; seq <= 10; seq++) {
            hub.onNext(AnomalyStoreTest.detection(seq, "old", T0));
        }
        // A reader joins while its replay (1..10) is still unread: its socket has not taken it yet.
        var reader = join(hub, 0);

        // The stream is re-created: the map is cleared and the new stream's sequences start at 1 again,
        // inside the reader's replay range.
        store.clear();
        for (long seq = 1; seq <= 3; seq++) {
            hub.onNext(AnomalyStoreTest.detection(seq, "new", T0));
        }
        reader.subscription.request(Long.MAX_VALUE);

        assertThat(reader.seqs).as("every id once").doesNotHaveDuplicates();
        assertThat(reader.seqs).as("the new stream's anomalies, in order").endsWith(1L, 2L, 3L);
        assertThat(reader.seqs).as("ids never go backwards").isSorted();
    }

    @Test
    void aReplayTakenBeforeAClearShowsNothingOfTheOldMapAfterIt() {
        for (long seq = 1; seq <= 5; seq++) {
            store.put(AnomalyStoreTest.detection(seq, seq % 2 == 0 ? "even" : "odd", T0));
        }
        var all = store.replayAfter(0, null);
        var odd = store.replayAfter(0, "odd");
        store.clear();
        store.put(AnomalyStoreTest.detection(2, "odd", T0));

        assertThat(all).as("an anomaly the map no longer holds is not replayed, nor one added after").isEmpty();
        assertThat(odd).isEmpty();
        assertThat(store.replayAfter(0, "odd")).extracting(Detection::seq).containsExactly(2L);
    }
}
