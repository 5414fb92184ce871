package io.anomalyflow.sender;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before sending a request again that was not acknowledged (a 503, a
 * dropped connection, a timeout). The request is sent again unchanged, with the same measurement
 * ids, so the gateway's duplicate window stores each measurement once however often it arrives.
 *
 * <p>The wait before retry {@code r} (1-based) is exponential, {@code initialBackoff · 2^(r-1)}
 * capped at {@code maxBackoff}, with "equal jitter": a random point in its upper half, so many
 * senders hit by the same outage do not come back in lock-step, yet nobody retries at once.
 * A {@code Retry-After} from the server is honoured as a lower bound, itself capped at
 * {@link #RETRY_AFTER_CAP} so a wrong header cannot park a run for hours.
 *
 * @param maxRetries how many times one request may be sent again after its first attempt (0 = never)
 * @param initialBackoff the wait before the first retry (before jitter)
 * @param maxBackoff the cap of the exponential wait
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    /** The longest {@code Retry-After} we obey. */
    public static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(60);

    /** 8 retries from 100 ms, capped at 5 s: rides out a NATS restart of ~20 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff + "): " + maxBackoff);
        }
    }

    /** Whether a request that failed {@code attempts} times in all may be sent again. */
    public boolean mayRetry(int attempts) {
        return attempts <= maxRetries;
    }

    /**
     * The wait before retry number {@code retry} (1-based).
     *
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param random uniform in {@code [0, 1)}, injected so tests can pin the jitter
     */
    public Duration backoff(int retry, Optional<Duration> retryAfter, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based: " + retry);
        }
        long initial = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        // 2^(retry-1) without overflow: past 2^62 we are far beyond any cap anyway
        long exponential = retry - 1 >= 62 || initial > (cap >> Math.min(retry - 1, 62)) ? cap : initial << (retry - 1);
        long base = Math.min(exponential, cap);
        long jittered = base / 2 + (long) (random.getAsDouble() * (base - base / 2));
        long floor = retryAfter.map(d -> Math.min(d.toNanos(), RETRY_AFTER_CAP.toNanos())).orElse(0L);
        return Duration.ofNanos(Math.max(jittered, floor));
    }

    /**
     * Reads a {@code Retry-After} header: delta-seconds ({@code "2"}) or an HTTP-date
     * ({@code "Wed, 26 Nov 2026 12:00:00 GMT"}, RFC 9110, section 10.2.3). Anything else is ignored.
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        var v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                return Optional.of(RETRY_AFTER_CAP);
            }
        }
        try {
            var at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            var wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeException notADate) {
            return Optional.empty();
        }
    }
}
