package io.anomalyflow.workshop;

import io.anomalyflow.workshop.api.HistoryStep;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Step 09 (workshop/steps/09-expiring-history.md): the anomalies a late subscriber is shown, each
 * for {@code ttl} after it entered the stream. The time comes from the {@code clock} passed in,
 * never from {@code System.currentTimeMillis()}, so a test can move it.
 */
public final class ExpiringHistoryMap implements HistoryStep {
    /** Creates the step. */
    public ExpiringHistoryMap() {
    }

    @Override
    public ExpiringHistory create(Duration ttl, InstantSource clock) {
        return new History(ttl, clock);
    }

    /** Positions in stream order, each with its stream time. */
    private static final class History implements ExpiringHistory {
        private final ConcurrentSkipListMap<Long, Instant> byPosition = new ConcurrentSkipListMap<>();
        private final Duration ttl;
        private final InstantSource clock;

        History(Duration ttl, InstantSource clock) {
            this.ttl = ttl;
            this.clock = clock;
        }

        @Override
        public void put(long position, String deviceId, Instant streamTime) {
            byPosition.put(position, streamTime);
        }

        @Override
        public List<Long> live() {
            // TODO 09a: leave out every entry whose time is up (streamTime + ttl <= clock.instant()),
            //           even before a sweep removed it.
            return List.copyOf(byPosition.keySet());
        }

        @Override
        public int expire() {
            // TODO 09b: remove the expired entries and count them. Stream time grows with the
            //           position, so they are a run at the oldest end: stop at the first live one
            //           (pollFirstEntry / firstEntry), no need to scan the whole map.
            return 0;
        }

        @Override
        public int size() {
            return byPosition.size();
        }
    }
}
