package io.anomalyflow.flow.testing;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A subscription that only records what it is asked. */
public final class RecordingSubscription implements Flow.Subscription {
    public final AtomicLong requested = new AtomicLong();
    public final AtomicInteger cancelled = new AtomicInteger();

    @Override
    public void request(long n) {
        requested.accumulateAndGet(n, TestDemand::addCap);
    }

    @Override
    public void cancel() {
        cancelled.incrementAndGet();
    }
}
