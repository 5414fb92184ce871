package io.anomalyflow.flow;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The last {@code capacity} items a {@link MulticastHub} dispatched, for replay to late
 * subscribers. A fixed array used as a ring: a new item overwrites the slot of the oldest, so an
 * evicted item is not referenced any more (no pinning, unlike linked replay buffers — RxJava
 * #5282/#6371). Not thread-safe: the hub only touches it under its lock.
 *
 * @param <T> the item type
 */
final class HubHistory<T> {
    private final Object[] ring;
    private int next;
    private int size;

    HubHistory(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("history must be >= 0: " + capacity);
        }
        this.ring = new Object[capacity];
    }

    void add(T item) {
        if (ring.length == 0) {
            return;
        }
        ring[next] = item;
        next = (next + 1) % ring.length;
        if (size < ring.length) {
            size++;
        }
    }

    /** A copy of the kept items matching {@code filter} ({@code null}: all), oldest first. */
    @SuppressWarnings("unchecked")
    List<T> snapshot(Predicate<? super T> filter) {
        var copy = new ArrayList<T>(filter == null ? size : Math.min(size, 16));
        int start = (next - size + ring.length) % Math.max(ring.length, 1);
        for (int i = 0; i < size; i++) {
            var item = (T) ring[(start + i) % ring.length];
            if (filter == null || filter.test(item)) {
                copy.add(item);
            }
        }
        return copy;
    }

    /** {@code items} without those {@code filter} rejects; lazily, on the consumer's thread. */
    static <T> Iterator<? extends T> filtered(Iterator<? extends T> items, Predicate<? super T> filter) {
        if (filter == null) {
            return items;
        }
        return new Iterator<T>() {
            private T ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null && items.hasNext()) {
                    var item = items.next();
                    if (item == null) {
                        throw new NullPointerException("replay snapshot contains null");
                    }
                    if (filter.test(item)) {
                        ahead = item;
                    }
                }
                return ahead != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                var item = ahead;
                ahead = null;
                return item;
            }
        };
    }
}
