package io.anomalyflow.workshop.reference;

import io.anomalyflow.client.AnomalyStore;
import io.anomalyflow.client.Detection;
import io.anomalyflow.events.Anomaly;
import io.anomalyflow.workshop.api.HistoryStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Step 09 by {@link AnomalyStore} (client), the map {@code GET /anomalies} lists and new SSE
 * readers are replayed: no timer per entry, a sweep from the oldest end plus reads that skip what
 * has expired. The adapter makes a placeholder anomaly for each position.
 */
public final class ReferenceHistory implements HistoryStep {
    /** Creates the adapter. */
    public ReferenceHistory() {
    }

    @Override
    public ExpiringHistory create(Duration ttl, InstantSource clock) {
        var store = AnomalyStore.create(ttl, 100_000, clock);
        return new ExpiringHistory() {
            @Override
            public void put(long position, String deviceId, Instant streamTime) {
                var anomaly = new Anomaly(position, streamTime, deviceId, BigDecimal.ONE, "workshop");
                store.put(new Detection(position, anomaly, streamTime));
            }

            @Override
            public List<Long> live() {
                return store.after(0, null).stream().map(Detection::position).toList();
            }

            @Override
            public int expire() {
                return store.expire();
            }

            @Override
            public int size() {
                return store.size();
            }
        };
    }
}
