package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.workshop.api.BufferStep;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Step 11, targeted: a stuck subscriber behind the buffer costs the others nothing; the newest items are kept. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step11BufferTest {
    private final Duration patience = Implementations.patience(Duration.ofSeconds(20));
    private final BufferStep step = Implementations.of(BufferStep.class);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ExecutorService producer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        producer.shutdownNow(); // a producer still blocked on a stuck subscriber is interrupted
        executor.shutdownNow();
    }

    @Test
    @DisplayName("a stuck subscriber behind the buffer costs the others nothing: the shared source never waits for it")
    void stuckSubscriberCostsNothing() throws Exception {
        // SubmissionPublisher.submit blocks while any subscriber's 16-item buffer is full: a lock-step source
        var source = new SubmissionPublisher<Long>(executor, 16);
        var fast = TestSubscriber.<Long>create();
        var stuck = TestSubscriber.<Long>create(0);
        source.subscribe(fast);
        step.dropOldest(source, 8).subscribe(stuck);
        fast.awaitSubscribed(patience);
        stuck.awaitSubscribed(patience);
        Future<?> produced = producer.submit(() -> {
            for (long i = 0; i < 5000; i++) {
                source.submit(i);
            }
            source.close();
        });
        try {
            produced.get(patience.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the source waited for the stuck subscriber: after " + patience.toSeconds()
                    + " s it still had not sent 5000 items (the buffer must ask its source for everything)", e);
        }
        fast.awaitTerminated(patience).assertComplete().assertNoViolations();
        assertThat(fast.count()).as("items the fast subscriber got").isEqualTo(5000);
        assertThat(stuck.count()).as("items the stuck subscriber got without asking").isZero();
        stuck.assertNoViolations();
    }

    @Test
    @DisplayName("§1.1 full buffer: the oldest go, the newest capacity items wait for demand, then completion")
    void keepsTheNewest() {
        var reader = TestSubscriber.<Long>create(0);
        step.dropOldest(Flows.range(0, 5000), 8).subscribe(reader);
        reader.awaitSubscribed(patience);
        reader.request(3);
        reader.awaitCount(3, patience);
        assertThat(reader.values()).as("the first 3 of the 8 newest").isEqualTo(LongStream.range(4992, 4995).boxed().toList());
        reader.request(100);
        reader.awaitTerminated(patience).assertComplete().assertNoViolations();
        assertThat(reader.values()).as("everything it got").isEqualTo(LongStream.range(4992, 5000).boxed().toList());
    }

    @Test
    @DisplayName("§1.1 §1.3 a subscriber that keeps up loses nothing, requesting a few at a time")
    void keepsUpLosesNothing() {
        var reader = TestSubscriber.<Long>create(0);
        step.dropOldest(Flows.range(0, 100), 1000).subscribe(reader);
        reader.awaitSubscribed(patience);
        for (int i = 1; i <= 10; i++) {
            reader.request(10);
            reader.awaitCount(i * 10, patience);
            assertThat(reader.count()).as("items after %d requests of 10", i).isEqualTo(i * 10);
        }
        reader.awaitTerminated(patience).assertComplete().assertNoViolations();
        assertThat(reader.values()).isEqualTo(LongStream.range(0, 100).boxed().toList());
    }
}
