package io.anomalyflow.workshop.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Step 09: the history a late subscriber is shown, bounded in time: entries expire a fixed time
 * after they entered the stream, measured on a clock the owner passes in.
 */
public interface HistoryStep {
    /** A new, empty history whose entries live {@code ttl} after their stream time, as {@code clock} tells. */
    ExpiringHistory create(Duration ttl, InstantSource clock);

    /** The history: anomalies by position (the stream sequence where they were read). */
    interface ExpiringHistory {
        /** Adds the anomaly read at {@code position} (increasing from call to call) for {@code deviceId}. */
        void put(long position, String deviceId, Instant streamTime);

        /** The positions still live now, oldest first: never one whose time is up, swept or not. */
        List<Long> live();

        /** Removes every entry whose time is up; returns how many it removed. */
        int expire();

        /** Entries held, expired ones included until {@link #expire()} or a read removes them. */
        int size();
    }
}
