package io.anomalyflow.flow.testing;

import java.time.Duration;
import java.util.List;

/** The timeout Flow tests wait with, and checks on the items a subscriber received. */
public final class FlowAssertions {
    /** Generous: the build machine is 2 cores shared by several builds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private FlowAssertions() {
    }

    /** Asserts that {@code items} is {@code first, first+1, …} (a contiguous run, each once). */
    public static void assertContiguous(List<Integer> items, String who) {
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i) != items.get(i - 1) + 1) {
                throw new AssertionError(who + ": item #" + i + " is " + items.get(i) + " after " + items.get(i - 1)
                        + " (gap or duplicate) in a run of " + items.size());
            }
        }
    }
}
