package io.anomalyflow.flow;

import java.util.concurrent.Flow;

/**
 * The subscription a subscriber of a {@link MulticastHub} (or of a {@link BufferPublisher})
 * receives: a {@link Flow.Subscription} in front of a bounded buffer of its own, which also tells
 * how much that buffer dropped. The same object is passed to {@code onSubscribe} and returned by
 * {@link MulticastHub#subscribe(Flow.Subscriber, HubOptions)}, so the owner of an SSE reader can
 * read its counters without a cast.
 *
 * <p>{@code request} and {@code cancel} follow §3: any thread, any time; {@code request(n ≤ 0)}
 * signals {@code onError(IllegalArgumentException)} (§3.9); {@code cancel} is idempotent (§3.5,
 * §3.7) and drops the reference to the subscriber (§3.13).
 */
public interface HubSubscription extends Flow.Subscription {
    /** How many items this subscriber's buffer dropped because of its {@link OverflowPolicy}. */
    long dropped();

    /** How many live items are waiting in the buffer for demand right now. */
    int buffered();

    /** Whether the subscription ended: cancelled, or a terminal signal was delivered. */
    boolean isCancelled();
}
