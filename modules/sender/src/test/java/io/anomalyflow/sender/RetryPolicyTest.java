package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        long[] bases = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int retry = 1; retry <= bases.length; retry++) {
            long base = bases[retry - 1];
            assertThat(policy.backoff(retry, Optional.empty(), () -> 0.0)).as("retry %d low", retry).isEqualTo(Duration.ofMillis(base / 2));
            assertThat(policy.backoff(retry, Optional.empty(), () -> 0.999_999).toMillis()).as("retry %d high", retry).isEqualTo(base - 1);
        }
    }

    @Test
    void veryLateRetriesDoNotOverflow() {
        assertThat(policy.backoff(10_000, Optional.empty(), () -> 0.5)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void retryAfterIsAFloorAndIsCapped() {
        assertThat(policy.backoff(1, Optional.of(Duration.ofSeconds(3)), () -> 0.0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.backoff(1, Optional.of(Duration.ofHours(2)), () -> 0.0)).isEqualTo(RetryPolicy.RETRY_AFTER_CAP);
        // a Retry-After shorter than our own backoff does not shorten it
        assertThat(policy.backoff(5, Optional.of(Duration.ofMillis(1)), () -> 0.0)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void mayRetryCountsAttempts() {
        assertThat(policy.mayRetry(1)).isTrue();
        assertThat(policy.mayRetry(5)).isTrue();
        assertThat(policy.mayRetry(6)).isFalse();
        assertThat(new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)).mayRetry(1)).isFalse();
    }

    @Test
    void parsesBothRetryAfterForms() {
        var now = Instant.parse("2026-11-26T12:00:00Z");
        assertThat(RetryPolicy.parseRetryAfter("2", now)).contains(Duration.ofSeconds(2));
        assertThat(RetryPolicy.parseRetryAfter(" 0 ", now)).contains(Duration.ZERO);
        assertThat(RetryPolicy.parseRetryAfter("Thu, 26 Nov 2026 12:00:07 GMT", now)).contains(Duration.ofSeconds(7));
        assertThat(RetryPolicy.parseRetryAfter("Thu, 26 Nov 2026 11:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryPolicy.parseRetryAfter("99999999999999999999999", now)).contains(RetryPolicy.RETRY_AFTER_CAP);
        assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter("-3", now)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter("", now)).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofMillis(1))).hasMessageContaining("-1");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ofMillis(1))).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> policy.backoff(0, Optional.empty(), () -> 0)).hasMessageContaining("1-based");
    }
}
