package io.anomalyflow.client;

import io.anomalyflow.events.Anomaly;

import java.time.Instant;
import java.util.Objects;

/**
 * One anomaly as the client's pipeline produces it: where the client read it, the {@link Anomaly}
 * (what readers get) and the time its measurement entered the measurements stream, which starts its
 * time-to-live in the {@link AnomalyStore}. It is the item type of the multicast hub, so the
 * store's {@code onItem} hook and the SSE replay see the same objects. Immutable.
 *
 * <p>{@code position} orders everything the client does: the map's keys, the SSE {@code id:} and
 * {@code Last-Event-ID}, where a restarted run resumes. It grows with every message read. The
 * anomaly's {@code seq} need not: reading the anomaly events of several detectors, the measurement
 * sequences arrive in the order the detectors published them (5, 260, 9, …).
 *
 * @param position   the stream sequence of the message the client read: the measurement's own
 *                   ({@code --source measurements}, then equal to the anomaly's {@code seq}) or the
 *                   anomaly event's in its stream ({@code --source anomalies}); at least 1
 * @param anomaly    the anomaly; its {@code seq} is the measurement's sequence in the measurements stream
 * @param streamTime when the measurement was stored in the measurements stream
 */
public record Detection(long position, Anomaly anomaly, Instant streamTime) {
    public Detection {
        if (position < 1) {
            throw new IllegalArgumentException("position must be >= 1: " + position);
        }
        Objects.requireNonNull(anomaly, "anomaly");
        Objects.requireNonNull(streamTime, "streamTime");
    }

    /** The measurement's sequence in the measurements stream, as the JSON's {@code seq} shows it. */
    public long seq() {
        return anomaly.seq();
    }

    public String deviceId() {
        return anomaly.deviceId();
    }
}
