package io.anomalyflow.sender;

import io.anomalyflow.flow.Demand;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The upstream {@link Flow.Subscription} of a subscriber that wants to request from many threads at
 * once (the HTTP completion threads, one per reply). §2.7 says a subscriber's calls to
 * {@code request} and {@code cancel} must be serial, so they go through a small drain loop: each
 * call records its wish (demand added with a cap, §3.17; or "cancel") and enters the loop only if
 * nobody is in it ({@code wip} 0 → 1); whoever is in it forwards everything recorded, including
 * what others recorded meanwhile ({@code missed}), then leaves. No lock, no thread ever waits, and a
 * {@code request} that makes the publisher call {@code onNext}, which requests again, does not
 * recurse: the inner call just records and returns (§3.3).
 *
 * <p>Cancel wins: once asked for, the upstream is cancelled once and nothing more is requested.
 */
final class SerialUpstream {
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final AtomicLong toRequest = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelWanted;
    private boolean cancelled; // only touched inside the drain loop

    /** Takes the subscription; false (and nothing done) when there already is one (§2.5: the caller cancels the new one). */
    boolean set(Flow.Subscription subscription) {
        if (!upstream.compareAndSet(null, subscription)) {
            return false;
        }
        drain(); // requests made before the subscription arrived go out now
        return true;
    }

    /** Asks for {@code n > 0} more, from any thread. */
    void request(long n) {
        Demand.add(toRequest, n);
        drain();
    }

    /** Cancels the upstream (once), from any thread; later requests are dropped. */
    void cancel() {
        cancelWanted = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return; // whoever is in the loop will see what we recorded
        }
        int missed = 1;
        do {
            var s = upstream.get();
            if (s != null && !cancelled) {
                if (cancelWanted) {
                    cancelled = true;
                    toRequest.set(0);
                    s.cancel();
                } else {
                    long n = toRequest.getAndSet(0);
                    if (n > 0) {
                        s.request(n);
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
