package io.anomalyflow.client;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A lazy, read-only view of a range of the {@link AnomalyStore}, iterated oldest first, that skips
 * entries no longer live when the iteration reaches them: what {@link AnomalyStore#replayAfter}
 * hands to a joining SSE reader. Each {@link #iterator()} walks the range afresh, and reads nothing
 * before its first {@code hasNext()}.
 *
 * <p>Once the store was cleared ({@code current} turns false) the view ends: whatever the range
 * holds then was added after the view was taken (the sequences of a re-created stream start at 1
 * again), and it reaches the reader live already. {@code current} is checked after each entry is
 * read, so an entry put after the clear is never returned.
 *
 * @param range   the store's entries in the range (a weakly consistent concurrent view)
 * @param isLive  whether an entry is still served (not expired)
 * @param current whether the store has not been cleared since the view was taken
 */
record ReplayView(Collection<Detection> range, Predicate<Detection> isLive, BooleanSupplier current)
        implements Iterable<Detection> {
    @Override
    public Iterator<Detection> iterator() {
        return new Iterator<>() {
            private Iterator<Detection> it; // opened at the first hasNext(): nothing is read before
            private Detection next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    next = advance();
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public Detection next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                var d = next;
                next = null;
                return d;
            }

            private Detection advance() {
                if (it == null) {
                    it = range.iterator();
                }
                while (it.hasNext()) {
                    var d = it.next();
                    if (!current.getAsBoolean()) {
                        return null; // read after a clear: not what the view was taken of
                    }
                    if (isLive.test(d)) {
                        return d;
                    }
                }
                return null;
            }
        };
    }
}
