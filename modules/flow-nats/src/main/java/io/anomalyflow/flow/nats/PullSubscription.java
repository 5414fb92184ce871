package io.anomalyflow.flow.nats;

import io.anomalyflow.flow.SubscriptionSignals;
import java.lang.System.Logger.Level;
import java.util.concurrent.Flow;

/**
 * One subscriber's reading of a stream: the {@link Flow.Subscription} handed to it, and the loop that
 * runs on its own virtual thread and is the only caller of the subscriber's {@code on*} methods, so
 * they are serial (§1.3) without any lock around them. The NATS side lives in {@link PullReader};
 * this class keeps the Reactive Streams rules.
 *
 * <p>{@code request} and {@code cancel} only record what changed in {@link SubscriptionSignals} and
 * wake the loop (through the reader's mailbox, where it waits for messages too): they never signal
 * anything themselves, so {@code request} inside {@code onNext} cannot recurse (§3.3), and the §3.9
 * error for a non-positive request is delivered by the loop too. The loop emits at most what was
 * requested (§1.1), stops emitting once cancelled (§3.12: messages still arriving are dropped), and
 * signals at most one terminal signal (§1.7). An unrecoverable error jumps ahead of messages received
 * but not yet emitted: the subscriber learns at once that the read ended.
 */
final class PullSubscription implements Flow.Subscription, Runnable {
    private static final System.Logger LOG = System.getLogger(PullSubscription.class.getName());

    private final PullReader reader;
    private final Runnable onEnd;
    private final SubscriptionSignals signals;
    private Flow.Subscriber<? super StreamMessage> downstream;
    private boolean done; // loop-thread only

    PullSubscription(PullReader reader, Flow.Subscriber<? super StreamMessage> downstream, Runnable onEnd) {
        this.reader = reader;
        this.downstream = downstream;
        this.onEnd = onEnd;
        this.signals = SubscriptionSignals.create(reader::wake);
    }

    @Override
    public void request(long n) {
        signals.request(n); // from inside onNext (a filter replacing a dropped item) it wakes nobody
    }

    @Override
    public void cancel() {
        signals.cancel(); // §3.5/§3.7: idempotent; the loop notices, stops and cleans up
    }

    @Override
    public void run() {
        signals.bindLoop(); // before onSubscribe, so every request can tell where it comes from
        try {
            downstream.onSubscribe(this); // §1.9: before anything else, even when the stream is missing
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "onSubscribe threw (§2.13); treating the subscription as cancelled", t);
            signals.cancel();
        }
        try {
            if (!signals.isCancelled()) {
                reader.open();
                loop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            signalError(new JetStreamReadException("the reading thread was interrupted", e));
        } catch (Throwable t) {
            signalError(t);
        } finally {
            done = true;
            reader.close();
            downstream = null; // §3.13: drop the subscriber
            onEnd.run();
        }
    }

    private void loop() throws InterruptedException {
        while (!done && !signals.isCancelled()) {
            var bad = signals.badRequest();
            if (bad != null) {
                signalError(bad); // §3.9, from this thread so it stays serial with onNext
                return;
            }
            reader.step(signals.requested());
            if (reader.failure() != null) {
                signalError(reader.failure());
                return;
            }
            emit();
            if (signals.isCancelled()) {
                return;
            }
            if (reader.ended()) {
                complete();
                return;
            }
            if (signals.requestedInLoop()) {
                continue; // new demand from onNext: pull for it before waiting
            }
            reader.await();
        }
    }

    /** Emits what the reader holds, while there is demand (§1.1). */
    private void emit() {
        Arrival.Delivery d;
        while (!signals.isCancelled() && !reader.ended() && signals.requested() > 0 && (d = reader.next()) != null) {
            signals.produced(); // only this thread takes demand, so the check above holds
            try {
                downstream.onNext(d.message());
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onNext threw (§2.13); cancelling the subscription", t);
                signals.cancel();
                reader.rejected(d);
                return;
            }
            reader.accepted(d);
        }
    }

    private void complete() {
        if (!done) {
            done = true;
            try {
                downstream.onComplete();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onComplete threw (§2.13)", t);
            }
        }
    }

    private void signalError(Throwable error) {
        if (!done) {
            done = true;
            try {
                downstream.onError(error);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onError threw (§2.13)", t);
            }
        }
    }
}
