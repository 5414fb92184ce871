package io.anomalyflow.flow;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The items a {@link MulticastHub} dispatched last, written once each and read by every subscriber
 * that keeps up through its own cursor ({@link RingLane}): the fan-out costs one write per item, not
 * one copy per subscriber.
 *
 * <p>One writer (the hub, under its lock), any number of readers without a lock. Item {@code seq}
 * lives in slot {@code seq & mask} together with its sequence, so a reader that was overtaken (the
 * writer went round and reused the slot) sees a different sequence and knows it lost the item, instead
 * of reading a newer one in its place. {@link #head()} is volatile and written after the slot, so a
 * reader that saw a head has every slot before it.
 *
 * @param <T> the item type
 */
final class HubRing<T> {
    private record Slot<T>(long seq, T item) {
    }

    private final AtomicReferenceArray<Slot<T>> slots;
    private final int mask;
    private volatile long head; // the next sequence to write; written by the one writer only

    /** A ring of at least {@code minCapacity} slots (a power of two). */
    HubRing(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(1, minCapacity - 1)) << 1;
        if (capacity <= 0 || minCapacity > 1 << 30) {
            throw new IllegalArgumentException("ring capacity out of range: " + minCapacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    int capacity() {
        return mask + 1;
    }

    /** Writer side: appends {@code item} as sequence {@link #head()}, overwriting the oldest slot. */
    void add(T item) {
        long h = head;
        slots.lazySet((int) (h & mask), new Slot<>(h, item));
        head = h + 1; // volatile: publishes the slot
    }

    /** The sequence the next item will get: items {@code head - capacity .. head - 1} are readable. */
    long head() {
        return head;
    }

    /** Item {@code seq}, or {@code null} when the writer overwrote it already. */
    T get(long seq) {
        var slot = slots.get((int) (seq & mask));
        return slot != null && slot.seq() == seq ? slot.item() : null;
    }
}
