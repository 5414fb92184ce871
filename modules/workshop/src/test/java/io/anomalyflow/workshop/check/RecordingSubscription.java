package io.anomalyflow.workshop.check;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A subscription that only records: the sum of the requests (capped, §3.17) and the cancels. */
final class RecordingSubscription implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger cancels = new AtomicInteger();

    @Override
    public void request(long n) {
        requests.incrementAndGet();
        requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    }

    @Override
    public void cancel() {
        cancels.incrementAndGet();
    }
}
