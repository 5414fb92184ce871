package io.anomalyflow.flow.nats;

import io.anomalyflow.flow.Demand;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test upstream that emits a list as fast as demand allows, from whichever thread requests (a
 * drain loop keeps its signals serial), and counts what it emitted.
 */
final class ListPublisher<T> implements Flow.Publisher<T> {
    private final List<T> items;
    private final AtomicLong emitted = new AtomicLong();

    ListPublisher(List<T> items) {
        this.items = List.copyOf(items);
    }

    long emitted() {
        return emitted.get();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        var subscription = new Flow.Subscription() {
            final AtomicLong requested = new AtomicLong();
            final AtomicInteger wip = new AtomicInteger();
            int index;
            volatile boolean cancelled;
            boolean completed;

            @Override
            public void request(long n) {
                Demand.add(requested, n);
                drain();
            }

            @Override
            public void cancel() {
                cancelled = true;
            }

            void drain() {
                if (wip.getAndIncrement() != 0) {
                    return;
                }
                int missed = 1;
                do {
                    long r = requested.get();
                    long e = 0;
                    while (e != r && index < items.size() && !cancelled) {
                        subscriber.onNext(items.get(index++));
                        emitted.incrementAndGet();
                        e++;
                    }
                    if (e > 0) {
                        Demand.produced(requested, e);
                    }
                    if (index == items.size() && !cancelled && !completed) {
                        completed = true;
                        subscriber.onComplete();
                    }
                    missed = wip.addAndGet(-missed);
                } while (missed != 0);
            }
        };
        subscriber.onSubscribe(subscription);
        subscription.drain();
    }
}
