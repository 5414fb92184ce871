package io.anomalyflow.flow;

import java.util.concurrent.Flow;

/**
 * The subscription a {@link MulticastHub} hands to one subscriber, with what an owner may want to read
 * about it for {@code /metrics}: how many items it lost and how many wait for its demand. The same
 * object is passed to {@code onSubscribe} and returned by
 * {@link MulticastHub#subscribe(Flow.Subscriber, HubOptions)}.
 *
 * @param <T> the item type
 */
public interface HubSubscription<T> extends Flow.Subscription {
    /** Items this subscriber lost to its overflow policy so far. */
    long dropped();

    /** Live items waiting for this subscriber's demand right now (replayed items not counted). */
    int buffered();

    /** Whether the subscription is over: cancelled, or its terminal signal delivered. */
    boolean isFinished();
}
