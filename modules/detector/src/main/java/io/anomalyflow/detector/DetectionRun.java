package io.anomalyflow.detector;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.Pipe;
import io.anomalyflow.flow.nats.Acks;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.JetStreamPublisher;
import io.anomalyflow.flow.nats.JetStreamSink;
import io.anomalyflow.flow.nats.PublishOutcome;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the detector's Flow chain, from a subscription to the group's consumer until it ends:
 *
 * <pre>
 *  JetStreamPublisher ─▶ Judge ──────────────────────▶ JetStreamSink ──▶ ANOMALIES
 *   work queue, group's   no anomaly: ack now            at most `window` unacknowledged;
 *   durable consumer,     poison: terminate, count       each outcome settles its measurement:
 *   subscriber acks       anomaly: pass on               stored → ack, not stored → NAK, pause
 * </pre>
 *
 * Demand flows backwards: the sink asks for {@code window} anomalies and one more per outcome, the
 * judge's filter asks one more for every measurement it settles itself, and the publisher turns what
 * is asked into pulls. So when ANOMALIES is slow the pulls slow down with it, and when it fails the run
 * ends: nothing is buffered without bound and nothing is acknowledged before its anomaly is stored.
 *
 * <p>A run ends when the stream read fails (it was deleted, the connection closed), at the first
 * anomaly JetStream does not acknowledge (the {@link DetectionSupervisor} then pauses and starts
 * another), or by {@link #stop()}.
 */
final class DetectionRun {
    /** A measurement whose anomaly was not stored comes again after this, to any detector of the group. */
    static final Duration NAK_DELAY = Duration.ofSeconds(1);

    private final JetStreamPublisher source;
    private final JetStreamSink<Judge.Anomalous> sink;
    private final Acks acks;
    private final DetectorMetrics metrics;
    private final DetectorStatus status;
    private final String outStream;
    private final String streamName;
    private volatile String failure;
    private volatile boolean stopping;

    private DetectionRun(Connection nc, JetStreamAppender appender, DetectorConfig config, Judge judge, EventCodec codec,
                         Acks acks, DetectorMetrics metrics, DetectorStatus status) {
        this.acks = acks;
        this.metrics = metrics;
        this.status = status;
        this.outStream = config.out().name();
        this.streamName = config.stream();
        this.source = JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder(config.stream())
                .filterSubject(config.subject())
                .durable(config.group())
                .subscriberAcks(true)
                .ackWait(config.ackWait())
                .maxAckPending(config.maxAckPending())
                .maxBatch(Math.min(config.window(), JetStreamPublisher.Options.DEFAULT_MAX_BATCH))
                .build());
        var subject = config.outSubject();
        this.sink = JetStreamSink.create(appender, a -> {
            metrics.inFlight.incrementAndGet();
            return a.toEvent(codec, subject);
        }, config.window(), this::settle);
        var stream = config.stream();
        Pipe.from(source)
                .map(m -> judge.judge(stream, m))   // settles what needs no publishing
                .filter(Optional::isPresent)        //   and asks for one more instead
                .map(Optional::get)
                .subscribe(sink);
    }

    /** Subscribes a new chain to the group's consumer. */
    static DetectionRun start(Connection nc, JetStreamAppender appender, DetectorConfig config, Judge judge,
                              EventCodec codec, Acks acks, DetectorMetrics metrics, DetectorStatus status) {
        return new DetectionRun(nc, appender, config, judge, codec, acks, metrics, status);
    }

    /** On the appender's completion thread: quick, never blocking. */
    private void settle(PublishOutcome<Judge.Anomalous> outcome) {
        metrics.inFlight.decrementAndGet();
        var source = outcome.item().source();
        switch (outcome) {
            case PublishOutcome.Acked<Judge.Anomalous> a -> {
                acks.ack(source);
                metrics.measurements.inc();
                (a.ack().duplicate() ? metrics.duplicates : metrics.published).inc();
                status.cleared();
            }
            case PublishOutcome.Failed<Judge.Anomalous> f -> {
                // not stored (or not known to be): the measurement comes again, its event keeps its id
                acks.nak(source, stopping ? Duration.ZERO : NAK_DELAY);
                if (!stopping) {
                    metrics.publishFailures.inc();
                    fail("stream " + outStream + " did not store an anomaly: " + f.error().getMessage());
                }
            }
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
            // not on the completion thread, which must stay free for the acks still due
            Thread.ofVirtual().name("detector-run-stop").start(sink::cancel);
        }
    }

    /** Ends the run: nothing more is published; what was published gets its ack (or its NAK). */
    void stop() {
        stopping = true;
        sink.cancel();
    }

    /** Waits at most {@code timeout} for the run to end with every outcome in; true when it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            sink.completion().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | CompletionException e) {
            var cause = e.getCause() == null ? e : e.getCause();
            if (failure == null) {
                failure = "reading " + streamName + " failed: " + cause.getMessage();
            }
        }
        return true;
    }

    /** Why the ended run ended; {@code null} after {@link #stop()} without a failure. */
    String endReason() {
        if (failure != null || stopping) {
            return failure;
        }
        return "the read of " + streamName + " ended";
    }

    /** Whether the run has ended ({@link #awaitEnd} returns at once). */
    boolean ended() {
        return sink.completion().isDone();
    }

    /** Waits until the reading thread has ended (it NAKs what it held); true when it has. */
    boolean awaitReaderStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (source.activeSubscriptions() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5); // a bounded wait at the end of a run, for one thread that is already ending
        }
        return true;
    }
}
