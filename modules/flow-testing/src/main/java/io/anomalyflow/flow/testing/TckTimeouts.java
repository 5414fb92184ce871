package io.anomalyflow.flow.testing;

import org.reactivestreams.tck.TestEnvironment;

/**
 * The one place the TCK classes get their timeouts from: system property
 * {@code anomalyflow.tck.timeout} (ms), set by the parent pom (300 ms, generous because a 2-core
 * machine is shared by several builds). Passed in the constructor because TCK 1.0.4 reads its
 * environment variables under surprising names.
 */
public final class TckTimeouts {
    /** How long the TCK waits for a signal that should come. */
    public static final long MILLIS = Long.getLong("anomalyflow.tck.timeout", 300);
    /**
     * How long the TCK waits to see that a signal does <em>not</em> come, for synchronous
     * publishers: they emit inside {@code request()}, so a wrong signal would already be there when
     * the wait starts. A few TCK tests wait this long once per item delivered (§3.12's takes 15
     * waits), which with the full timeout made each publisher class cost ~10 s.
     */
    public static final long SYNCHRONOUS_NO_SIGNALS_MILLIS = Math.max(25, MILLIS / 6);
    /** How long the §3.13 test waits for the subscriber to be garbage-collected. */
    public static final long GC_MILLIS = MILLIS;

    private TckTimeouts() {
    }

    /** For publishers that may signal from other threads: every wait is the full timeout. */
    public static TestEnvironment environment() {
        return new TestEnvironment(MILLIS);
    }

    /** For publishers that only ever signal from inside {@code subscribe} or {@code request}. */
    public static TestEnvironment synchronousEnvironment() {
        return new TestEnvironment(MILLIS, SYNCHRONOUS_NO_SIGNALS_MILLIS, MILLIS);
    }
}
