package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.testing.TestSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run's live view as a Flow.Publisher: order of events, demand, §3.9, cancel. */
class RunEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private FakeGateway gateway;
    private final List<SenderRun> runs = new ArrayList<>();

    @AfterEach
    void close() {
        runs.forEach(SenderRun::close);
        if (gateway != null) {
            gateway.close();
        }
    }

    private SenderRun run(int count, long holdMillis) throws Exception {
        gateway = FakeGateway.start(holdMillis);
        var run = Sender.start(SenderConfig.builder().gateway(gateway.url()).count(count).concurrency(2).build());
        runs.add(run);
        return run;
    }

    @Test
    void startedThenProgressThenFinishedThenComplete() throws Exception {
        var run = run(60, 5); // ~150 ms: several 20 ms ticks
        var events = TestSubscriber.<RunEvent>create();
        RunEvents.of(run, Duration.ofMillis(20)).subscribe(events);
        events.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        var items = events.values();
        assertThat(items.get(0)).isEqualTo(new RunEvent.Started(run.runId(), gateway.url() + "/measurements"));
        assertThat(items.get(items.size() - 1)).isInstanceOfSatisfying(RunEvent.Finished.class,
                f -> assertThat(f.summary().acknowledged()).isEqualTo(60));
        var middle = items.subList(1, items.size() - 1);
        assertThat(middle).isNotEmpty().allMatch(e -> e instanceof RunEvent.Progressed);
        // snapshots never go backwards
        long last = -1;
        for (var e : middle) {
            long finished = ((RunEvent.Progressed) e).progress().finished();
            assertThat(finished).isGreaterThanOrEqualTo(last);
            last = finished;
        }
    }

    @Test
    void aLateSubscriberOfAFinishedRunGetsStartedAndFinished() throws Exception {
        var run = run(5, 0);
        run.await(WAIT);
        var events = TestSubscriber.<RunEvent>create();
        RunEvents.of(run, Duration.ofMillis(20)).subscribe(events);
        events.awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(events.values()).hasSize(2);
        assertThat(events.values().get(1)).isInstanceOf(RunEvent.Finished.class);
    }

    @Test
    void emitsNothingWithoutDemandThenExactlyWhatIsRequested() throws Exception {
        var run = run(5, 0);
        run.await(WAIT);
        var events = TestSubscriber.<RunEvent>create(0);
        RunEvents.of(run, Duration.ofMillis(20)).subscribe(events);
        await().atMost(WAIT).until(events::isSubscribed); // (TestSubscriber.awaitSubscribed is not woken by onSubscribe)
        Thread.sleep(50); // give a misbehaving publisher the chance to emit without demand
        assertThat(events.count()).isZero();
        events.request(1).awaitCount(1, WAIT);
        Thread.sleep(50);
        assertThat(events.count()).isEqualTo(1);
        assertThat(events.isTerminated()).isFalse();
        events.request(1).awaitTerminated(WAIT).assertComplete().assertNoViolations();
        assertThat(events.count()).isEqualTo(2);
    }

    @Test
    void nonPositiveRequestFailsTheSubscription() throws Exception {
        var run = run(5, 0);
        var events = TestSubscriber.<RunEvent>create(0);
        RunEvents.of(run, Duration.ofMillis(20)).subscribe(events);
        await().atMost(WAIT).until(events::isSubscribed); // (TestSubscriber.awaitSubscribed is not woken by onSubscribe)
        events.request(0).awaitTerminated(WAIT).assertError(IllegalArgumentException.class).assertNoViolations();
        assertThat(events.error()).hasMessageContaining("§3.9");
    }

    @Test
    void cancelStopsTheEventsButNotTheRun() throws Exception {
        var run = run(40, 10);
        var events = TestSubscriber.<RunEvent>create();
        RunEvents.of(run, Duration.ofMillis(10)).subscribe(events);
        events.awaitCount(2, WAIT).cancel();
        int atCancel = events.count();
        var summary = run.await(WAIT);
        assertThat(summary.acknowledged()).isEqualTo(40);
        Thread.sleep(50);
        assertThat(events.count()).isLessThanOrEqualTo(atCancel + 1); // at most one already on its way (§2.8)
        assertThat(events.isTerminated()).isFalse();
        events.assertNoViolations();
    }
}
