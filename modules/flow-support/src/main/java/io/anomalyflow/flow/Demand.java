package io.anomalyflow.flow;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Demand arithmetic shared by every publisher here: adding with a cap at {@link Long#MAX_VALUE}
 * (§3.17: demand may reach 2^63−1 and then means "unbounded") and subtracting what was emitted.
 *
 * <p>{@code Long.MAX_VALUE} is sticky: once demand is unbounded it is never decremented, so an
 * unbounded subscriber costs no atomic write per item.
 */
public final class Demand {
    private Demand() {
    }

    /** {@code a + b}, or {@link Long#MAX_VALUE} when the sum overflows. Both must be ≥ 0. */
    public static long addCap(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Adds {@code n > 0} to {@code requested} with the cap, in a CAS loop.
     *
     * @return the demand before the addition: 0 means the caller made the 0→n transition and is
     *     the one who must start emitting (§3.3 without a separate re-entrancy flag)
     */
    public static long add(AtomicLong requested, long n) {
        for (;;) {
            long current = requested.get();
            if (current == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            if (requested.compareAndSet(current, addCap(current, n))) {
                return current;
            }
        }
    }

    /**
     * {@link #add(AtomicLong, long)} for a {@code volatile long} field reached through {@code handle}
     * (a {@link VarHandle} on {@code owner}): for classes with many instances, where an
     * {@code AtomicLong} of their own would cost an object and a pointer chase each.
     *
     * @return the demand before the addition
     */
    public static long add(VarHandle handle, Object owner, long n) {
        for (;;) {
            long current = (long) handle.getVolatile(owner);
            if (current == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            if (handle.compareAndSet(owner, current, addCap(current, n))) {
                return current;
            }
        }
    }

    /**
     * Subtracts {@code n} emitted items from {@code requested}, unless demand is unbounded.
     *
     * @return the demand left
     */
    public static long produced(AtomicLong requested, long n) {
        for (;;) {
            long current = requested.get();
            if (current == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            long next = current - n;
            if (next < 0) {
                throw new IllegalStateException("more produced than requested: " + n + " > " + current);
            }
            if (requested.compareAndSet(current, next)) {
                return next;
            }
        }
    }
}
