package io.anomalyflow.client;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * A lazy, read-only view of a range of the {@link AnomalyStore}, iterated oldest first, that skips
 * entries no longer live when the iteration reaches them: what {@link AnomalyStore#replayAfter}
 * hands to a joining SSE reader. Each {@link #iterator()} walks the range afresh.
 *
 * @param range  the store's entries in the range (a weakly consistent concurrent view)
 * @param isLive whether an entry is still served (not expired)
 */
record ReplayView(Collection<Detection> range, Predicate<Detection> isLive) implements Iterable<Detection> {
    @Override
    public Iterator<Detection> iterator() {
        var it = range.iterator();
        return new Iterator<>() {
            private Detection next = advance();

            private Detection advance() {
                while (it.hasNext()) {
                    var d = it.next();
                    if (isLive.test(d)) {
                        return d;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Detection next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                var d = next;
                next = advance();
                return d;
            }
        };
    }
}
