package io.anomalyflow.flow;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The §3.9 state of one subscription: the first {@code request(n)} with {@code n ≤ 0}, kept as the
 * {@code IllegalArgumentException} that the emitting side signals with {@code onError}, serially with
 * its {@code onNext} calls (§1.3). {@code request} records it from any thread; it never signals.
 */
final class BadRequest {
    private final AtomicReference<IllegalArgumentException> error = new AtomicReference<>();

    /**
     * Records {@code n} if it is not positive (the first one wins; later ones add nothing).
     *
     * @return whether {@code n} was a bad request
     */
    boolean record(long n) {
        if (n > 0) {
            return false;
        }
        if (error.get() == null) {
            error.compareAndSet(null, Subscriptions.nonPositiveRequest(n));
        }
        return true;
    }

    /** The error to signal, or {@code null} while every request was positive. */
    IllegalArgumentException get() {
        return error.get();
    }
}
