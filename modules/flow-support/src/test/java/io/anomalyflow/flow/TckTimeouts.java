package io.anomalyflow.flow;

import org.reactivestreams.tck.TestEnvironment;

/**
 * The one place the TCK classes get their timeouts from: system property
 * {@code anomalyflow.tck.timeout} (ms), set by the parent pom (300 ms, generous because a 2-core
 * machine is shared by several builds). Passed in the constructor because TCK 1.0.4 reads its
 * environment variables under surprising names.
 */
final class TckTimeouts {
    /** Default, no-signal and poll timeout of the TCK environment. */
    static final long MILLIS = Long.getLong("anomalyflow.tck.timeout", 300);
    /** How long the §3.13 test waits for the subscriber to be garbage-collected. */
    static final long GC_MILLIS = Math.max(1000, MILLIS);

    private TckTimeouts() {
    }

    static TestEnvironment environment() {
        return new TestEnvironment(MILLIS);
    }
}
