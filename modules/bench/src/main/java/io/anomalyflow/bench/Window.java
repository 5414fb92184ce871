package io.anomalyflow.bench;

import java.util.concurrent.Flow;

/**
 * The demand policy of the baselines' subscribers, the same as our {@code ConsumerSubscriber}'s: ask
 * for {@code size} items at first, then for {@code size − size/4} more each time that many were
 * consumed (75 %). Touched only from a subscriber's serial signals (§1.3), so plain fields suffice.
 */
final class Window {
    private final int size;
    private final int limit;
    private Flow.Subscription upstream;
    private int consumed;

    Window(int size) {
        this.size = size;
        this.limit = size - (size >> 2);
    }

    /** Takes the first subscription and requests the window; a second one is cancelled (§2.5). */
    void subscribe(Flow.Subscription subscription) {
        if (upstream != null) {
            subscription.cancel();
            return;
        }
        upstream = subscription;
        subscription.request(size);
    }

    /** One item consumed (or dropped): tops the demand up when a batch is used. */
    void consumed() {
        if (++consumed == limit) {
            consumed = 0;
            upstream.request(limit);
        }
    }
}
