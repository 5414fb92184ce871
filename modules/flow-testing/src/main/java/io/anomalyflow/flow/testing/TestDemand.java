package io.anomalyflow.flow.testing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Demand arithmetic for the test publishers and subscribers, capped at {@link Long#MAX_VALUE}
 * (§3.17). Written here rather than borrowed from flow-support: a test oracle must not share code
 * with what it checks, and flow-support's own tests depend on this artifact.
 */
final class TestDemand {
    private TestDemand() {
    }

    static long addCap(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Adds {@code n > 0} with the cap; returns the demand before (0: the caller must emit, §3.3). */
    static long add(AtomicLong requested, long n) {
        return requested.getAndAccumulate(n, TestDemand::addCap);
    }

    /** Subtracts {@code n} emitted items unless demand is unbounded; returns the demand left. */
    static long produced(AtomicLong requested, long n) {
        return requested.accumulateAndGet(n, (current, k) -> current == Long.MAX_VALUE ? current : current - k);
    }
}
