package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A bounded buffer operator for one subscriber: it requests <b>unbounded</b> from its source, so
 * the source is never slowed down, keeps at most {@code capacity} items and hands them to the
 * subscriber as it requests them. When the subscriber is slower than the source the buffer drops
 * the oldest item ({@link #dropOldest}), the arriving one ({@link #dropNewest}), or fails the
 * subscriber ({@link OverflowPolicy#FAIL}); each dropped item is passed to {@code onDrop}
 * (on the source's thread) and counted in the {@link BufferedSubscription} the subscriber receives.
 *
 * <p>Cold or hot as its source: each {@code subscribe} subscribes the source once, with a buffer
 * of its own. Completion is delivered after the buffered items, an error at once (buffered items
 * are discarded). Cancel reaches the source. Put it right in front of the slow consumer: a
 * prefetching stage after it would hide its drops (RxJava #5190).
 *
 * <p>Rules: §1.1/§1.3/§3.3 through the drain loop of {@link BufferedSubscription}; §2.5 a second
 * {@code onSubscribe} is cancelled; §2.13 {@code null}s are refused with NPE; §3.9, §3.13, §3.17
 * by {@link BufferedSubscription}.
 *
 * @param <T> the item type
 */
public final class BufferPublisher<T> implements Flow.Publisher<T> {
    private final Flow.Publisher<? extends T> source;
    private final int capacity;
    private final OverflowPolicy policy;
    private final Consumer<? super T> onDrop;

    private BufferPublisher(Flow.Publisher<? extends T> source, int capacity, OverflowPolicy policy,
            Consumer<? super T> onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
    }

    /** Keeps the newest {@code capacity} items; {@code onDrop} receives each evicted one. */
    public static <T> BufferPublisher<T> dropOldest(Flow.Publisher<? extends T> source, int capacity,
            Consumer<? super T> onDrop) {
        return new BufferPublisher<>(source, capacity, OverflowPolicy.DROP_OLDEST, onDrop);
    }

    /** Keeps the oldest {@code capacity} items; {@code onDrop} receives each refused one. */
    public static <T> BufferPublisher<T> dropNewest(Flow.Publisher<? extends T> source, int capacity,
            Consumer<? super T> onDrop) {
        return new BufferPublisher<>(source, capacity, OverflowPolicy.DROP_NEWEST, onDrop);
    }

    /** Any {@link OverflowPolicy}; {@code onDrop} is not called under {@code FAIL}. */
    public static <T> BufferPublisher<T> create(Flow.Publisher<? extends T> source, int capacity,
            OverflowPolicy policy, Consumer<? super T> onDrop) {
        return new BufferPublisher<>(source, capacity, policy, onDrop);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        source.subscribe(new BufferSubscriber<>(subscriber, capacity, policy, onDrop));
    }

    /** The source's subscriber; the subscriber's subscription is a {@link BufferedSubscription}. */
    static final class BufferSubscriber<T> implements Flow.Subscriber<T> {
        private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
        // Holds the subscriber; no field of our own does, so a source that keeps us after
        // cancel does not keep it (§3.13).
        private final BufferedSubscription<T> buffer;

        BufferSubscriber(Flow.Subscriber<? super T> downstream, int capacity, OverflowPolicy policy,
                Consumer<? super T> onDrop) {
            this.buffer = new BufferedSubscription<>(downstream, capacity, policy, onDrop, b -> cancelUpstream());
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            Objects.requireNonNull(subscription, "subscription"); // §2.13
            if (!upstream.compareAndSet(null, subscription)) {
                subscription.cancel(); // §2.5
                return;
            }
            buffer.subscribe(); // the subscriber's onSubscribe, before requesting anything upstream
            if (upstream.get() == subscription) { // not cancelled from within onSubscribe
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(T item) {
            Objects.requireNonNull(item, "item"); // §2.13
            buffer.offer(item);
            buffer.drain();
        }

        @Override
        public void onError(Throwable throwable) {
            Objects.requireNonNull(throwable, "throwable"); // §2.13
            upstream.set(Subscriptions.CANCELLED);
            buffer.error(throwable);
            buffer.drain();
        }

        @Override
        public void onComplete() {
            upstream.set(Subscriptions.CANCELLED);
            buffer.complete();
            buffer.drain();
        }

        private void cancelUpstream() {
            var s = upstream.getAndSet(Subscriptions.CANCELLED);
            if (s != null) {
                s.cancel();
            }
        }
    }
}
