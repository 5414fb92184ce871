package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The upstream {@link Flow.Subscription} of a subscriber that requests or cancels from several
 * threads: completion threads of the work it started, say, besides its own {@code onNext}. §2.7 says
 * a subscriber's calls to {@code request} and {@code cancel} must be serial, so they go through a
 * small drain loop: each call records its wish (demand added with a cap, §3.17; or "cancel") and
 * enters the loop only if nobody is in it ({@code wip} 0 → 1); whoever is in it forwards everything
 * recorded, including what others recorded meanwhile ({@code missed}), then leaves. No lock, and a
 * {@code request} that makes a synchronous publisher call {@code onNext}, which requests again, does
 * not recurse: the inner call just records and returns (§3.3).
 *
 * <p>Where the loop runs: {@link #create()} runs it on the calling thread, so a caller may find itself
 * running the upstream's {@code onNext} for the items it asked for. {@link #create(Executor)} runs it
 * on the executor instead, for callers that must never run the subscriber's code (a thread that must
 * not block, while {@code onNext} may): they only record and, at most, hand one task over.
 *
 * <p>Cancel wins: once asked for, the upstream is cancelled once and nothing more is requested.
 * Thread-safe; one instance per subscription.
 */
public final class SerialUpstream {
    private final Executor drainer;
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final AtomicLong toRequest = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelWanted;
    private boolean cancelled; // only touched inside the drain loop

    private SerialUpstream(Executor drainer) {
        this.drainer = drainer;
    }

    /** Forwards on the calling thread (whoever finds the loop free). */
    public static SerialUpstream create() {
        return new SerialUpstream(null);
    }

    /**
     * Forwards on {@code drainer}: callers never call the upstream themselves (unless the executor
     * refuses the task, being shut down: then the caller forwards, late rather than never).
     */
    public static SerialUpstream create(Executor drainer) {
        return new SerialUpstream(Objects.requireNonNull(drainer, "drainer"));
    }

    /**
     * Takes the subscription; requests made before it arrived go out now.
     *
     * @return false, and nothing done, when there already is one (§2.5: the caller cancels the new one)
     */
    public boolean set(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (!upstream.compareAndSet(null, subscription)) {
            return false;
        }
        drain();
        return true;
    }

    /** Asks for {@code n > 0} more, from any thread. */
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("request(" + n + "): a subscriber asks for n > 0 (§3.9)");
        }
        Demand.add(toRequest, n);
        drain();
    }

    /** Cancels the upstream (once), from any thread; later requests are dropped. */
    public void cancel() {
        cancelWanted = true;
        drain();
    }

    /** True once {@link #cancel()} was called (the upstream's cancel may still be on its way). */
    public boolean isCancelled() {
        return cancelWanted;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return; // whoever is in the loop will see what we recorded
        }
        if (drainer == null) {
            loop();
            return;
        }
        try {
            drainer.execute(this::loop);
        } catch (RejectedExecutionException e) {
            loop(); // the executor is shut down: forwarding late beats never forwarding
        }
    }

    private void loop() {
        int missed = 1;
        do {
            var s = upstream.get();
            if (s != null && !cancelled) {
                try {
                    forward(s);
                } catch (RuntimeException | Error e) {
                    // §3.15/§3.16 say this does not happen; if it does, leave the loop free for the next call
                    wip.set(0);
                    throw e;
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void forward(Flow.Subscription s) {
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
}
