package io.anomalyflow.flow;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The subscribers of a {@link MulticastHub}: a copy-on-write array. The hub replaces it under its
 * lock; dispatch iterates the array it read, so a subscriber leaving in the middle of a dispatch
 * changes nothing for that dispatch. Joins and leaves copy the array (8 bytes a subscriber), cheap
 * against the per-item cost even with thousands of readers.
 *
 * @param <T> the item type
 */
final class HubMembers<T> {
    /** One subscriber: its subscription and its filter ({@code null}: everything). */
    record Member<T>(BufferedSubscription<T> subscription, Predicate<? super T> filter) {
        /** Filters and buffers {@code item}; true when the subscription has something new to drain. */
        boolean offer(T item) {
            try {
                if (filter != null && !filter.test(item)) {
                    return false;
                }
            } catch (RuntimeException e) {
                subscription.abort(e); // this subscriber alone fails and leaves the hub
                return true;
            }
            subscription.offer(item);
            return true;
        }
    }

    private volatile Member<T>[] array = empty();

    /** The current subscribers; the array is never modified afterwards. */
    Member<T>[] array() {
        return array;
    }

    int size() {
        return array.length;
    }

    void add(Member<T> member) {
        var a = array;
        var copy = Arrays.copyOf(a, a.length + 1);
        copy[a.length] = member;
        array = copy;
    }

    /** Removes the member of {@code subscription}; returns the number left, or -1 if it was absent. */
    int remove(BufferedSubscription<?> subscription) {
        var a = array;
        for (int i = 0; i < a.length; i++) {
            if (a[i].subscription() == subscription) {
                var copy = Arrays.copyOf(a, a.length - 1);
                System.arraycopy(a, i + 1, copy, i, a.length - i - 1);
                array = copy;
                return copy.length;
            }
        }
        return -1;
    }

    /** Removes everyone; returns who was there. */
    Member<T>[] clear() {
        var a = array;
        array = empty();
        return a;
    }

    @SuppressWarnings("unchecked")
    private static <T> Member<T>[] empty() {
        return (Member<T>[]) new Member<?>[0];
    }
}
