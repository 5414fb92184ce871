package io.anomalyflow.sender;

import java.time.Duration;
import java.util.Optional;

/**
 * What one HTTP attempt of a {@link Payload} came to, as {@link Replies} reads it. Only
 * {@link Retry} leads to another attempt; the others are final for the whole payload.
 */
sealed interface Outcome {
    /** 2xx: every measurement of the payload is stored; {@code duplicates} of them were already. */
    record Acknowledged(int duplicates) implements Outcome {
    }

    /** A 4xx: the gateway refused the request; sending it again would be refused again. */
    record Rejected(int status, String reason) implements Outcome {
    }

    /** Not acknowledged, but worth another try with the same ids (503, 502, 504, I/O error, timeout). */
    record Retry(String reason, Optional<Duration> retryAfter) implements Outcome {
    }

    /** Not acknowledged and not worth retrying (another 5xx, a 1xx/3xx, an unexpected exception). */
    record Failed(String reason) implements Outcome {
    }
}
