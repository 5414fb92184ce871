package io.anomalyflow.client;

import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.Responses;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open SSE streams: at most {@code max} in all and {@code perClient} from one remote
 * address ({@code --max-streams}, {@code --max-streams-per-client}). A stream beyond either gets
 * {@code 429} with {@code Retry-After} and a JSON body saying which cap it met; its slot is taken
 * before the stream starts and given back when the handler returns, which is when the stream ended
 * for whatever reason (the reader left, the client closed it), so a closed stream frees its slot.
 *
 * <p>Each stream costs a virtual thread, a socket and a buffer of up to {@code --sse-buffer}
 * anomalies; without a cap one careless script could open streams until memory runs out. The
 * per-address map holds only addresses with a stream open. Thread-safe, lock-free.
 */
final class StreamSlots {
    private static final String RETRY_AFTER_SECONDS = "5";

    private final int max;
    private final int perClient;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    StreamSlots(int max, int perClient) {
        if (max < 1 || perClient < 1) {
            throw new IllegalArgumentException("max and perClient must be at least 1: " + max + ", " + perClient);
        }
        this.max = max;
        this.perClient = perClient;
    }

    /** {@code streams} behind the caps. */
    HttpHandler guard(HttpHandler streams) {
        return exchange -> {
            var address = exchange.getRemoteAddress().getAddress();
            var refusal = acquire(address);
            if (refusal != null) {
                exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                Responses.error(exchange, 429, refusal);
                return;
            }
            try {
                streams.handle(exchange);
            } finally {
                release(address);
            }
        };
    }

    /** Takes a slot for {@code address}; returns why not, or {@code null} when taken. */
    String acquire(InetAddress address) {
        // a CAS loop, not increment-then-undo: the count never shows more than max, not even for an instant
        int taken;
        do {
            taken = open.get();
            if (taken >= max) {
                return "too many event streams: " + max + " are open, the most this client serves (--max-streams)";
            }
        } while (!open.compareAndSet(taken, taken + 1));
        var refused = new boolean[1];
        // compute runs atomically per key: two streams of one address cannot both take the last slot
        byAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perClient) {
                refused[0] = true;
                return n;
            }
            return count + 1;
        });
        if (refused[0]) {
            open.decrementAndGet();
            return "too many event streams from " + address.getHostAddress() + ": " + perClient
                    + " are open, the most per client (--max-streams-per-client); close one first";
        }
        return null;
    }

    /** Gives back a slot {@link #acquire} took. */
    void release(InetAddress address) {
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /** Streams holding a slot now. */
    int open() {
        return open.get();
    }

    /** Addresses with a stream open now. */
    int addresses() {
        return byAddress.size();
    }
}
