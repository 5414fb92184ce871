package io.anomalyflow.client;

import java.util.Comparator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongPredicate;

/**
 * The entries of an {@link AnomalyStore} that expire before an entry put earlier: its sweep removes
 * the expired run at the oldest position and stops at the first live entry, so without this they
 * would stay (hidden from reads, but counted) until every entry before them had gone. Read from the
 * anomaly events of several detectors, the position (the order read) and the stream time (the
 * measurement's) agree only nearly, so a few entries are late, each by about how late its detector
 * published. Each late entry is noted with its expiry; the sweep removes the ones due.
 *
 * <p>A note may outlive its entry (evicted, or swept with the run before it): removing it then finds
 * nothing. {@link #clear()} goes with the store's, so no note names a position of a re-created
 * stream. Mutated under the store's write lock; {@link #anyDue} may be asked without it.
 */
final class LateExpiries {
    private record Due(long at, long position) {
    }

    private final ConcurrentSkipListSet<Due> dues = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(Due::at).thenComparingLong(Due::position));
    /** The latest expiry of any entry put since the last clear: an earlier one makes an entry late. */
    private long latest = Long.MIN_VALUE;

    /** Notes the entry at {@code position}, expiring at {@code at}, if an entry put before it expires later. */
    void put(long position, long at) {
        if (at < latest) {
            dues.add(new Due(at, position));
        } else {
            latest = at;
        }
    }

    /** Whether a noted entry is due at {@code now} (no lock needed). */
    boolean anyDue(long now) {
        var it = dues.iterator(); // weakly consistent: no throw when another thread empties it
        return it.hasNext() && it.next().at() <= now;
    }

    /** Forgets each note due at {@code now} and hands its position to {@code remove}; returns how many it removed. */
    int removeDue(long now, LongPredicate remove) {
        int removed = 0;
        while (!dues.isEmpty() && dues.first().at() <= now) { // under the store's lock: nobody else removes
            if (remove.test(dues.pollFirst().position())) {
                removed++;
            }
        }
        return removed;
    }

    void clear() {
        dues.clear();
        latest = Long.MIN_VALUE;
    }
}
