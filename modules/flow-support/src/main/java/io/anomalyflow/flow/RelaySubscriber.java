package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * What every pass-through operator stage has in common: it is the upstream's {@code Subscriber} and
 * the downstream's {@code Subscription} at once, keeps no items, and forwards demand unchanged.
 * Subclasses ({@code MapPublisher.MapSubscriber}, …) write only {@link #next}, the operator's idea.
 *
 * <p>State: {@code upstream} is set once by the first {@code onSubscribe}; {@code done} becomes true
 * when the stage is finished — because the downstream cancelled, the upstream terminated, or a user
 * function failed. From then on upstream signals are dropped (§1.7; items that race with a cancel
 * are not forwarded, §2.8). A separate flag, rather than swapping {@code upstream} for
 * {@link Subscriptions#CANCELLED}, because a source that completes at once legitimately hands us
 * that very sentinel as its subscription.
 *
 * <p>Rules kept: a second {@code onSubscribe} is cancelled (§2.5); {@code null} arguments throw
 * {@code NullPointerException} (§2.13); the downstream gets {@code onSubscribe} before we request
 * anything upstream; nothing else is thrown from an {@code on*} method (§2.13); requests and
 * cancels after the end are not forwarded (§3.6, §3.7).
 *
 * <p>The downstream reference is not cleared on cancel (an {@code onNext} may be running on another
 * thread at that moment); §3.13 holds because the upstream drops <em>this</em> stage when it is
 * cancelled, and with it the chain down to the subscriber.
 *
 * @param <T> what the upstream emits
 * @param <R> what the downstream receives
 */
abstract class RelaySubscriber<T, R> implements Flow.Subscriber<T>, Flow.Subscription {
    protected final Flow.Subscriber<? super R> downstream;
    /** Read by {@code request}/{@code cancel} on any thread, hence volatile. */
    protected volatile Flow.Subscription upstream;
    /** Written by upstream signals and by {@code cancel} (any thread), hence volatile. */
    private volatile boolean done;

    RelaySubscriber(Flow.Subscriber<? super R> downstream) {
        this.downstream = downstream;
    }

    @Override
    public final void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (upstream != null) {
            subscription.cancel(); // §2.5: we already have one
            return;
        }
        upstream = subscription;
        downstream.onSubscribe(this);
    }

    @Override
    public final void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        if (!done) {
            next(item);
        }
    }

    /**
     * The operator's work for one item, called only while the stage is active. It must not throw:
     * wrap user functions in {@code try} and hand failures to {@link #fail} (§2.13).
     */
    protected abstract void next(T item);

    @Override
    public final void onError(Throwable error) {
        Objects.requireNonNull(error, "error"); // §2.13
        if (finish()) {
            downstream.onError(error);
        }
    }

    @Override
    public final void onComplete() {
        if (finish()) {
            downstream.onComplete();
        }
    }

    @Override
    public void request(long n) {
        if (!done) {
            upstream.request(n); // §3.9 is the source's to enforce: it sees n as the downstream sent it
        }
    }

    @Override
    public final void cancel() {
        if (!done) {
            done = true;
            upstream.cancel(); // a racing second cancel may reach the upstream twice: §3.7 makes that harmless
        }
    }

    /**
     * Marks the stage finished because the upstream terminated.
     *
     * @return false if it was already finished (then the caller must signal nothing, §1.7)
     */
    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    /** A user function failed: cancel upstream, then {@code onError} downstream (§2.13, §1.7). */
    protected final void fail(Throwable error) {
        cancel(); // the upstream may keep signalling for a while (§3.12): `done` makes us ignore it
        downstream.onError(error);
    }
}
