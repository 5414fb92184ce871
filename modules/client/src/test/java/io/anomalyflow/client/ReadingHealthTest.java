package io.anomalyflow.client;

import io.anomalyflow.client.ReadingHealth.Phase;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReadingHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final AtomicReference<Connection.Status> status = new AtomicReference<>(Connection.Status.CONNECTED);
    private final ReadingHealth health = new ReadingHealth(status::get, "MEASUREMENTS");

    @Test
    void startsUnhealthyWaitingForTheStream() {
        var h = health.health();

        assertThat(h.ok()).isFalse();
        assertThat(h.phase()).isEqualTo(Phase.WAITING_FOR_STREAM);
        assertThat(h.reason()).contains("looking for the stream");
    }

    @Test
    void healthyOnlyWhileReadingAndConnected() {
        health.set(Phase.READING, "reading");
        assertThat(health.health()).isEqualTo(new ReadingHealth.Health(true, Phase.READING, "reading stream MEASUREMENTS"));

        status.set(Connection.Status.RECONNECTING);
        assertThat(health.health()).isEqualTo(
                new ReadingHealth.Health(false, Phase.READING, "NATS connection is reconnecting"));

        status.set(Connection.Status.CONNECTED);
        health.set(Phase.RESTARTING, "reading stopped: the stream ended");
        assertThat(health.health()).isEqualTo(
                new ReadingHealth.Health(false, Phase.RESTARTING, "reading stopped: the stream ended"));
    }

    @Test
    void closedIsFinal() {
        health.set(Phase.CLOSED, "closed");
        health.set(Phase.READING, "reading"); // a run that ended during shutdown

        assertThat(health.health()).isEqualTo(new ReadingHealth.Health(false, Phase.CLOSED, "closed"));
    }

    @Test
    void awaitReadingWakesWhenReadingStarts() throws Exception {
        var reading = waitingForReading();
        health.set(Phase.RESTARTING, "not yet");
        health.set(Phase.READING, "reading");

        assertThat(reading.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitReadingGivesUpWhenClosed() throws Exception {
        var reading = waitingForReading();
        health.set(Phase.CLOSED, "closed");

        assertThat(reading.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void awaitReadingTimesOut() throws Exception {
        assertThat(health.awaitReading(Duration.ZERO)).isFalse();
        health.set(Phase.READING, "reading");
        assertThat(health.awaitReading(Duration.ZERO)).isTrue();
    }

    /** Another thread's {@code awaitReading(1 day)}, once it is parked in it; completes with its answer. */
    private CompletableFuture<Boolean> waitingForReading() {
        var answer = new CompletableFuture<Boolean>();
        var waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                answer.complete(health.awaitReading(Duration.ofDays(1)));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.TIMED_WAITING || answer.isDone());
        return answer;
    }
}
