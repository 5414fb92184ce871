package io.anomalyflow.flow.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-driven upstream for testing operators and subscribers: the test pushes signals with
 * {@link #next}, {@link #complete}, {@link #error} — even illegal ones, such as items after a cancel
 * or a terminal signal — and reads back the requests and cancels it received. One subscriber at a
 * time; not thread-safe for pushing, like any publisher's signals (§1.3).
 */
public final class ManualPublisher<T> implements Flow.Publisher<T> {
    private final List<Long> requests = new ArrayList<>();
    private final AtomicInteger cancels = new AtomicInteger();
    private final AtomicInteger subscribes = new AtomicInteger();
    private volatile Flow.Subscriber<? super T> subscriber;

    @Override
    public void subscribe(Flow.Subscriber<? super T> s) {
        subscribes.incrementAndGet();
        subscriber = s;
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (requests) {
                    requests.add(n);
                }
            }

            @Override
            public void cancel() {
                cancels.incrementAndGet();
            }
        });
    }

    public ManualPublisher<T> next(T item) {
        subscriber.onNext(item);
        return this;
    }

    public void complete() {
        subscriber.onComplete();
    }

    public void error(Throwable e) {
        subscriber.onError(e);
    }

    /** Every {@code request(n)} received, in order. */
    public List<Long> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The sum of the positive requests received, capped like demand (§3.17). */
    public long totalRequested() {
        long total = 0;
        for (long n : requests()) {
            total = n > 0 ? TestDemand.addCap(total, n) : total;
        }
        return total;
    }

    public int cancels() {
        return cancels.get();
    }

    public int subscribes() {
        return subscribes.get();
    }
}
