package io.anomalyflow.app;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Reads a request body with a size limit and a time limit, so that neither a huge body nor a
 * client that sends slowly (or stops) can exhaust memory or hang a request.
 *
 * <ul>
 *   <li>A body over {@code maxBytes} (declared by {@code Content-Length}, or found while reading a
 *       chunked body) gives {@link Body.TooLarge}: the caller answers with {@link #reject}, which
 *       replies first, then reads and discards the rest of the body up to a bound, so the client
 *       can finish sending and read the reply instead of having its connection reset under it.</li>
 *   <li>A body not complete within {@code timeout} (counted from the start of {@link #read}): a
 *       virtual thread replies {@code 408} with {@code Connection: close} and ends the connection
 *       ({@link ReadDeadlines}); {@code read} returns {@link Body.TimedOut} and the caller must not
 *       reply again. The caller's {@code onTimeout} runs right after the 408 went out, so
 *       per-request accounting (a concurrency permit, a metric) does not wait for the stuck read.</li>
 *   <li>A body that cannot be read (a broken chunked encoding, a reset) gives {@link Body.Unreadable}.</li>
 * </ul>
 * Thread-safe; one instance serves every request, and its deadlines share one sweeper.
 */
public final class BodyReader {
    /** What {@link #read} found. */
    public sealed interface Body {
        /** The whole body, at most {@code maxBytes}. */
        record Complete(byte[] bytes) implements Body {
        }

        /** Over the limit; {@code declared} is the {@code Content-Length}, or -1 when it was not given. */
        record TooLarge(long limit, long declared) implements Body {
        }

        /** The time limit passed; a 408 was sent and the connection is closed. */
        record TimedOut() implements Body {
        }

        /** The body could not be read; {@code reason} says why. */
        record Unreadable(String reason) implements Body {
        }
    }

    private static final int CHUNK = 16 * 1024;

    private final long maxBytes;
    private final Duration timeout;
    private final ReadDeadlines deadlines;
    private final long discardLimit;

    private BodyReader(long maxBytes, Duration timeout, long discardLimit) {
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes must be within 0.." + (Integer.MAX_VALUE - 16) + ": " + maxBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (discardLimit < 0) {
            throw new IllegalArgumentException("discardLimit must be >= 0: " + discardLimit);
        }
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.deadlines = new ReadDeadlines(timeout);
        this.discardLimit = discardLimit;
    }

    /**
     * A reader of bodies up to {@code maxBytes}, complete within {@code timeout}; after a rejection
     * it discards up to {@code max(4 × maxBytes, 8 MiB)} of what the client still sends.
     */
    public static BodyReader create(long maxBytes, Duration timeout) {
        return new BodyReader(maxBytes, timeout, Math.max(4 * maxBytes, 8L << 20));
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Reads the body of {@code exchange} on the calling thread.
     *
     * @param onTimeout run (on another thread) after the 408 reply was sent, if the deadline passes
     */
    public Body read(HttpExchange exchange, Runnable onTimeout) {
        long declared = declaredLength(exchange);
        var deadline = deadlines.arm(Thread.currentThread(), () -> replyTimeout(exchange, onTimeout));
        Body body;
        try {
            body = declared > maxBytes ? new Body.TooLarge(maxBytes, declared) : readUpToLimit(exchange.getRequestBody(), declared);
        } catch (IOException e) {
            body = new Body.Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (!deadline.disarm()) {
            closeResponse(exchange); // the 408 is written: let the server account the exchange as finished
            return new Body.TimedOut();
        }
        return body;
    }

    /**
     * Replies {@code status} with an error body and {@code Connection: close}, then reads and throws
     * away what the client still sends (up to the discard bound, within the timeout), so that the
     * client gets to read the reply. Use it for any reply sent before the body was read in full
     * (413, 415, 401, 503 …). Headers such as {@code Retry-After} are set by the caller beforehand.
     */
    public void reject(HttpExchange exchange, int status, String message) {
        exchange.getResponseHeaders().set("Connection", "close");
        try {
            Responses.error(exchange, status, message);
        } catch (IOException clientGone) {
            return;
        }
        var deadline = deadlines.arm(Thread.currentThread(), () -> { });
        try {
            discard(exchange.getRequestBody(), discardLimit);
        } catch (IOException ignored) {
            // the client went away or the deadline closed the connection: nothing left to protect
        }
        deadline.disarm();
        closeResponse(exchange);
    }

    /** Reads and drops up to {@code limit} bytes of {@code in}; true when the end was reached. */
    static boolean discard(InputStream in, long limit) throws IOException {
        var buf = new byte[CHUNK];
        long left = limit;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return true;
            }
            left -= n;
        }
        return in.read() < 0;
    }

    /**
     * Closes the response stream once the reply is fully written. Doing it here, before
     * {@code HttpExchange.close()}, matters: it is the call that tells the JDK server the exchange
     * finished (so {@code stop()} does not wait for it), and it still works after the connection was
     * closed under a stuck read, where {@code exchange.close()} alone would not.
     */
    static void closeResponse(HttpExchange exchange) {
        try {
            exchange.getResponseBody().close();
        } catch (IOException ignored) {
            // no reply was started, or the connection is gone: exchange.close() cleans up
        }
    }

    private Body readUpToLimit(InputStream in, long declared) throws IOException {
        if (declared >= 0) {
            // The usual case, a declared length (at most maxBytes, checked by the caller): read it
            // straight into an array of that size, sparing the 16 KiB copy buffer below.
            return new Body.Complete(in.readNBytes((int) declared));
        }
        var out = new ByteArrayOutputStream(CHUNK);
        var buf = new byte[CHUNK];
        long total = 0;
        int n;
        // Ask for at most one byte past the limit, so an oversized chunked body is noticed without
        // reading (and holding) much more than the limit.
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes + 1 - total))) > 0) {
            total += n;
            if (total > maxBytes) {
                return new Body.TooLarge(maxBytes, declared);
            }
            out.write(buf, 0, n);
        }
        return new Body.Complete(out.toByteArray());
    }

    private void replyTimeout(HttpExchange exchange, Runnable onTimeout) {
        exchange.getResponseHeaders().set("Connection", "close");
        try {
            Responses.error(exchange, 408, "request body not received in full within " + Units.formatDuration(timeout));
        } catch (IOException | RuntimeException clientGoneOrRace) {
            // nobody left to tell; the accounting below still has to happen
        } finally {
            onTimeout.run();
        }
    }

    private static long declaredLength(HttpExchange exchange) {
        var value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip()); // the server already refused negative or malformed ones
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
