package io.anomalyflow.client;

import io.anomalyflow.events.Anomaly;

import java.time.Instant;
import java.util.Objects;

/**
 * One anomaly as the client's pipeline produces it: the {@link Anomaly} (what readers get) and the
 * time its measurement entered the stream (the JetStream message's timestamp), which starts its
 * time-to-live in the {@link AnomalyStore}. It is the item type of the multicast hub, so the
 * store's {@code onItem} hook and the SSE replay see the same objects. Immutable.
 *
 * @param anomaly    the anomaly; its {@code seq} is the stream sequence
 * @param streamTime when the measurement was stored in the stream
 */
public record Detection(Anomaly anomaly, Instant streamTime) {
    public Detection {
        Objects.requireNonNull(anomaly, "anomaly");
        Objects.requireNonNull(streamTime, "streamTime");
    }

    /** The stream sequence: the SSE event id. */
    public long seq() {
        return anomaly.seq();
    }

    public String deviceId() {
        return anomaly.deviceId();
    }
}
