package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * What every pass-through operator stage has in common: it is the upstream's {@code Subscriber} and
 * the downstream's {@code Subscription} at once, keeps no items, and forwards demand unchanged.
 * Subclasses ({@code MapPublisher.MapSubscriber}, …) write only {@link #onNext}.
 *
 * <p>State is one field: {@code upstream} is {@code null} before {@code onSubscribe}, the real
 * subscription while running, and {@link Subscriptions#CANCELLED} once the stage is finished —
 * because the downstream cancelled, the upstream terminated, or a user function failed. From then
 * on upstream signals are dropped (§1.7; items that race with a cancel are not forwarded, §2.8) and
 * downstream requests and cancels reach the no-op sentinel (§3.6, §3.7).
 *
 * <p>Rules kept: a second {@code onSubscribe} is cancelled (§2.5); {@code null} arguments throw
 * {@code NullPointerException} (§2.13); the downstream gets {@code onSubscribe} before we request
 * anything upstream; nothing else is thrown from an {@code on*} method (§2.13).
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

    RelaySubscriber(Flow.Subscriber<? super R> downstream) {
        this.downstream = downstream;
    }

    @Override
    public final void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (upstream != null) {
            subscription.cancel(); // §2.5: we already have one (or are finished)
            return;
        }
        upstream = subscription;
        downstream.onSubscribe(this);
    }

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
        upstream.request(n); // §3.9 is the source's to enforce: it sees n as the downstream sent it
    }

    @Override
    public final void cancel() {
        var s = upstream;
        upstream = Subscriptions.CANCELLED;
        s.cancel(); // a racing second cancel may reach the upstream twice, which §3.7 makes harmless
    }

    /** True while upstream signals should be passed on. */
    protected final boolean isActive() {
        return upstream != Subscriptions.CANCELLED;
    }

    /**
     * Marks the stage finished because the upstream terminated.
     *
     * @return false if it was already finished (then the caller must signal nothing, §1.7)
     */
    protected final boolean finish() {
        if (upstream == Subscriptions.CANCELLED) {
            return false;
        }
        upstream = Subscriptions.CANCELLED;
        return true;
    }

    /** A user function failed: cancel upstream, then {@code onError} downstream (§2.13, §1.7). */
    protected final void fail(Throwable error) {
        cancel(); // the upstream may keep signalling for a while (§3.12): isActive() is now false
        downstream.onError(error);
    }
}
