package io.anomalyflow.sender;

import io.anomalyflow.flow.SubscriptionSignals;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The live view of one run as a cold, unicast {@link Flow.Publisher}: first a {@link RunEvent.Started},
 * then a {@link RunEvent.Progressed} snapshot at most every {@code interval} while the run goes on,
 * then one {@link RunEvent.Finished} with the summary, then {@code onComplete}. Each subscriber gets
 * its own sequence from where the run is now (a late subscriber to a finished run gets Started,
 * Finished). Snapshots are taken when they are emitted, so a slow subscriber gets fewer, fresher
 * ones rather than a backlog: nothing is buffered.
 *
 * <p>Built the "virtual thread per subscription" way, with {@link SubscriptionSignals}: {@code request}
 * and {@code cancel} only record and wake; one virtual thread per subscription waits for demand and the
 * next tick and makes every call to the subscriber, so signals are serial (§1.3), never made from
 * inside {@code request} (§3.3), never more than requested (§1.1); {@code request(n ≤ 0)} is
 * answered by that thread with {@code onError} (§3.9); demand is capped at {@code Long.MAX_VALUE}
 * (§3.17); cancel ends the thread and drops the subscriber (§3.13).
 */
final class RunEvents implements Flow.Publisher<RunEvent> {
    private final SenderRun run;
    private final Duration interval;

    private RunEvents(SenderRun run, Duration interval) {
        this.run = Objects.requireNonNull(run, "run");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    static RunEvents of(SenderRun run, Duration interval) {
        return new RunEvents(run, interval);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super RunEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        var emitter = new Emitter(subscriber, run.runId(), run.config().target().toString(), run::progress,
                run.completion(), interval);
        Thread.ofVirtual().name("run-events-" + run.runId()).start(emitter::loop);
    }

    /**
     * One subscription: the subscriber's Subscription and the loop its virtual thread runs, waiting in
     * {@link SubscriptionSignals} for demand and the next tick.
     */
    private static final class Emitter implements Flow.Subscription {
        private final String runId;
        private final String target;
        private final Supplier<Progress> progress;
        private final CompletableFuture<Summary> completion;
        private final long intervalNanos;
        private final SubscriptionSignals signals = SubscriptionSignals.create();
        private Flow.Subscriber<? super RunEvent> downstream; // only the loop thread uses it; nulled at the end

        Emitter(Flow.Subscriber<? super RunEvent> downstream, String runId, String target, Supplier<Progress> progress,
                CompletableFuture<Summary> completion, Duration interval) {
            this.downstream = downstream;
            this.runId = runId;
            this.target = target;
            this.progress = progress;
            this.completion = completion;
            this.intervalNanos = interval.toNanos();
            completion.whenComplete((s, e) -> signals.wake()); // the end of the run wakes the loop at once
        }

        @Override
        public void request(long n) {
            signals.request(n);
        }

        @Override
        public void cancel() {
            signals.cancel();
        }

        void loop() {
            var subscriber = downstream;
            try {
                signals.bindLoop();
                subscriber.onSubscribe(this);
                if (!take(0)) {
                    return;
                }
                subscriber.onNext(new RunEvent.Started(runId, target));
                while (!completion.isDone()) {
                    if (!take(intervalNanos)) {
                        return;
                    }
                    subscriber.onNext(new RunEvent.Progressed(progress.get()));
                }
                if (!take(0)) {
                    return;
                }
                subscriber.onNext(new RunEvent.Finished(completion.join()));
                subscriber.onComplete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                downstream = null; // §3.13
            }
        }

        /**
         * Waits until there is demand and, for a snapshot, the tick has come (or the run ended), then
         * takes one unit of demand. False when the subscription is over: cancelled, or a §3.9 error
         * (signalled here, from the loop's own thread).
         */
        private boolean take(long waitNanos) throws InterruptedException {
            long due = System.nanoTime() + waitNanos;
            for (;;) {
                if (!signals.awaitDemand(SubscriptionSignals.NO_TIMEOUT)) {
                    var bad = signals.badRequest();
                    if (bad != null && !signals.isCancelled()) {
                        signals.cancel();
                        downstream.onError(bad);
                    }
                    return false;
                }
                long left = due - System.nanoTime();
                if (left <= 0 || completion.isDone()) {
                    signals.produced();
                    return true;
                }
                signals.awaitChange(left); // the tick, or a cancel, a bad request, the run's end
            }
        }
    }
}
