package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Small helpers every operator needs: the {@link #CANCELLED} sentinel, the §3.9 error, and the
 * "onSubscribe then onError" sequence for sources that fail before they start (§1.9).
 */
public final class Subscriptions {
    /**
     * A subscription that ignores everything. Stored in an {@code upstream} field it means "this
     * stage is cancelled or done", so late requests and cancels become no-ops (§3.6, §3.7).
     */
    public static final Flow.Subscription CANCELLED = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }

        @Override
        public String toString() {
            return "Subscriptions.CANCELLED";
        }
    };

    private Subscriptions() {
    }

    /** The error a publisher signals for {@code request(n)} with {@code n ≤ 0} (§3.9). */
    public static IllegalArgumentException nonPositiveRequest(long n) {
        return new IllegalArgumentException("§3.9 violated: request(" + n + "), but n must be positive");
    }

    /**
     * Signals {@code onSubscribe(CANCELLED)} then {@code onError(error)}: the only legal way to fail
     * a subscriber before anything started (§1.9 requires onSubscribe first).
     */
    public static void error(Flow.Subscriber<?> subscriber, Throwable error) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscriber.onSubscribe(CANCELLED);
        subscriber.onError(error);
    }

    /** Signals {@code onSubscribe(CANCELLED)} then {@code onComplete()}: an empty source. */
    public static void complete(Flow.Subscriber<?> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscriber.onSubscribe(CANCELLED);
        subscriber.onComplete();
    }
}
