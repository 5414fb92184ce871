package io.anomalyflow.flow.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Subscribes the same (cold) publisher four times, under the four demand patterns that catch most
 * demand bugs, and checks items, terminal signal and rule violations each time:
 * <ol>
 *   <li>unbounded: {@code request(Long.MAX_VALUE)} in {@code onSubscribe};</li>
 *   <li>0 then MAX: nothing may arrive before the first request (§1.1), then everything;</li>
 *   <li>0 then exact: {@code request(expected.size())} (at least 1) must be enough to receive all and
 *       the terminal signal — so the last source item must be one that reaches the subscriber;</li>
 *   <li>cancel after first: {@code request(1)}, cancel, then request more — nothing more may arrive (§3.6).</li>
 * </ol>
 * Meant for synchronous sources and chains over them, where "nothing yet" can be checked without waiting.
 */
public final class DemandPatterns {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private DemandPatterns() {
    }

    /** The publisher emits exactly {@code expected} and completes. */
    public static <T> void assertResult(Flow.Publisher<T> publisher, List<T> expected) {
        check(publisher, expected, null);
    }

    /** The publisher emits exactly {@code before}, then fails with an error of {@code type}. */
    public static <T> void assertFailure(Flow.Publisher<T> publisher, List<T> before, Class<? extends Throwable> type) {
        check(publisher, before, type);
    }

    private static <T> void check(Flow.Publisher<T> publisher, List<T> items, Class<? extends Throwable> errorType) {
        // 1. unbounded
        var unbounded = TestSubscriber.<T>create();
        publisher.subscribe(unbounded);
        assertEnd(unbounded.awaitTerminated(TIMEOUT), items, errorType);

        // 2. 0 then MAX
        var lazy = TestSubscriber.<T>create(0);
        publisher.subscribe(lazy);
        lazy.awaitSubscribed(TIMEOUT);
        if (lazy.count() != 0) {
            throw new AssertionError("items before any request (§1.1): " + lazy.values());
        }
        if (!items.isEmpty()) {
            lazy.assertNotTerminated();
        }
        if (!lazy.isTerminated()) {
            lazy.request(Long.MAX_VALUE);
        }
        assertEnd(lazy.awaitTerminated(TIMEOUT), items, errorType);

        // 3. 0 then exact (+1 when an error is expected: it comes in place of an item; and at least
        //    1, since a source that is not empty, such as a filter that drops everything, can only
        //    find out that nothing is left by pulling)
        var exact = TestSubscriber.<T>create(0);
        publisher.subscribe(exact);
        exact.awaitSubscribed(TIMEOUT);
        long exactly = Math.max(1, items.size() + (errorType != null ? 1 : 0));
        if (!exact.isTerminated()) {
            exact.request(exactly);
        }
        assertEnd(exact.awaitTerminated(TIMEOUT), items, errorType);

        // 4. cancel after the first item
        var first = TestSubscriber.<T>create(0);
        publisher.subscribe(first);
        first.awaitSubscribed(TIMEOUT);
        if (!first.isTerminated()) {
            first.request(1);
        }
        if (items.isEmpty()) {
            assertEnd(first.awaitTerminated(TIMEOUT), items, errorType);
            return;
        }
        first.awaitCount(1, TIMEOUT).cancel();
        first.request(Long.MAX_VALUE); // after cancel: a no-op (§3.6)
        first.assertValues(items.subList(0, 1)).assertNoViolations();
        if (items.size() > 1) {
            first.assertNotTerminated();
        }
    }

    private static <T> void assertEnd(TestSubscriber<T> ts, List<T> items, Class<? extends Throwable> errorType) {
        ts.assertValues(items).assertNoViolations();
        if (errorType == null) {
            ts.assertComplete();
        } else {
            ts.assertError(errorType);
        }
    }
}
