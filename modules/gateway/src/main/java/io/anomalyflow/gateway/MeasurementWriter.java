package io.anomalyflow.gateway;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.JetStreamSink;
import io.anomalyflow.flow.nats.NotAcknowledgedException;
import io.anomalyflow.flow.nats.PublishOutcome;
import io.anomalyflow.flow.nats.OutgoingMessage;
import io.anomalyflow.flow.nats.PublishAck;
import io.anomalyflow.flow.nats.SinkSummary;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.IntFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends measurements to the stream and waits for JetStream's acknowledgements; a reply is only
 * ever built from an ack, so nothing gets a 2xx that NATS did not acknowledge.
 *
 * <ul>
 *   <li>One measurement: {@link JetStreamAppender#append}. Concurrent requests share the appender's
 *       pipelined asynchronous publishes (bounded by its in-flight window), so a request waits for
 *       its own ack without serialising the others behind a synchronous round trip.</li>
 *   <li>A batch: the list flows through {@link Flows#fromIterable} into a {@link JetStreamSink}
 *       whose window bounds the unacknowledged messages of this request: a large batch is
 *       published only as fast as NATS acknowledges it.</li>
 * </ul>
 * Every message carries the measurement's JSON and, when it has an id, {@code Nats-Msg-Id} = id,
 * so a retried POST is stored once within the stream's duplicate window. Thread-safe.
 */
final class MeasurementWriter {
    /** The outcome of one measurement: its sequence (the original one for a duplicate). */
    record Stored(long seq, boolean duplicate) {
    }

    private final JetStreamAppender appender;
    private final EventCodec codec;
    private final String subject;
    private final Duration ackTimeout;
    private final int batchWindow;
    private final InstantSource clock;
    private final GatewayMetrics metrics;
    private final IntFunction<Duration> batchTimeBound;

    MeasurementWriter(JetStreamAppender appender, EventCodec codec, GatewayConfig config, InstantSource clock,
                      GatewayMetrics metrics) {
        this(appender, codec, config, clock, metrics, size -> batchTimeBound(size, config.batchWindow(), config.ackTimeout()));
    }

    /** @param batchTimeBound how long a batch of the given size may take before it is answered 503 (tests shorten it) */
    MeasurementWriter(JetStreamAppender appender, EventCodec codec, GatewayConfig config, InstantSource clock,
                      GatewayMetrics metrics, IntFunction<Duration> batchTimeBound) {
        this.batchTimeBound = batchTimeBound;
        this.appender = appender;
        this.codec = codec;
        this.subject = config.subject();
        this.ackTimeout = config.ackTimeout();
        this.batchWindow = config.batchWindow();
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Publishes one measurement and waits for its ack; a 503 {@link Rejection} when none comes in time. */
    Stored write(Measurement m) throws Rejection {
        long start = System.nanoTime();
        PublishAck ack;
        try {
            // No timed get: the appender completes every future within the ack timeout plus one sweep
            // period (and close() fails what is left), and a timed park costs a timer per request.
            ack = appender.append(message(m)).get();
        } catch (ExecutionException e) {
            throw notAcknowledged(e.getCause());
        } catch (RuntimeException e) {
            throw notAcknowledged(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(503, "the gateway is shutting down; the measurement may or may not be stored");
        }
        metrics.publishSeconds().observeNanos(System.nanoTime() - start);
        if (ack.duplicate()) {
            metrics.duplicates().inc();
        } else {
            metrics.accepted().inc();
        }
        return new Stored(ack.sequence(), ack.duplicate());
    }

    /**
     * Publishes a whole batch through the Flow toolkit and waits for every ack.
     *
     * @throws Rejection 503 at the first message that was not acknowledged, or when the batch runs
     *                   past its time bound (some may be stored, and a retry with the same ids is
     *                   safe); once it is thrown, nothing more of the batch is published
     */
    SinkSummary writeAll(List<Measurement> batch) throws Rejection {
        long start = System.nanoTime();
        // The batch is 503 from its first unacknowledged measurement on: answer then, not after the rest timed out too.
        var firstFailure = new CompletableFuture<SinkSummary>();
        var sink = JetStreamSink.<Measurement>create(appender, this::message, batchWindow, outcome -> {
            switch (outcome) {
                // counted as they come, so what a 503 batch stored is counted too
                case PublishOutcome.Acked<Measurement> acked when acked.ack().duplicate() -> metrics.duplicates().inc();
                case PublishOutcome.Acked<Measurement> acked -> metrics.accepted().inc();
                case PublishOutcome.Failed<Measurement> failed ->
                        firstFailure.completeExceptionally(new NotAcknowledgedAt(failed.index(), failed.error()));
            }
        });
        Flows.fromIterable(batch).subscribe(sink);
        SinkSummary summary;
        try {
            summary = (SinkSummary) CompletableFuture.anyOf(sink.completion(), firstFailure)
                    .get(batchTimeBound.apply(batch.size()).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            sink.cancel(); // 503 now: nothing more of this batch may be stored after that
            if (e.getCause() instanceof NotAcknowledgedAt at) {
                throw notAcknowledged(at, batch.size());
            }
            throw notAcknowledged(e.getCause());
        } catch (TimeoutException e) {
            sink.cancel(); // the caller is told 503 now: nothing more of this batch may be stored after that
            throw notAcknowledged(e);
        } catch (InterruptedException e) {
            sink.cancel();
            Thread.currentThread().interrupt();
            throw new Rejection(503, "the gateway is shutting down; the batch may be partly stored");
        }
        metrics.publishSeconds().observeNanos(System.nanoTime() - start);
        if (summary.failed() > 0 || summary.acknowledged() != batch.size()) {
            // anyOf takes the first of its inputs already done, in order: the summary, though the failure came first
            if (firstFailure.isCompletedExceptionally() && firstFailure.exceptionNow() instanceof NotAcknowledgedAt at) {
                throw notAcknowledged(at, batch.size());
            }
            throw new Rejection(503, "JetStream acknowledged " + summary.acknowledged() + " of " + batch.size()
                    + " measurements within " + ackTimeout.toMillis() + " ms; the others may or may not be stored;"
                    + " retrying the batch is safe for measurements that have an id");
        }
        return summary;
    }

    /**
     * Every message resolves within the ack timeout (acked or failed) and at most {@code window} are
     * outstanding, so a whole batch normally takes less than this; past it something is badly wrong.
     */
    static Duration batchTimeBound(int size, int window, Duration ackTimeout) {
        long rounds = (size + window - 1) / window + 2;
        return ackTimeout.multipliedBy(rounds).plusSeconds(1);
    }

    /** Stamps a measurement without a timestamp with the time of receipt (millisecond precision). */
    Measurement stamped(Measurement m) {
        return m.timestamp() != null ? m : m.withTimestamp(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private OutgoingMessage message(Measurement m) {
        return new OutgoingMessage(subject, m.hasId() ? m.id() : null, codec.encode(m));
    }

    /**
     * The 503 for a measurement without an ack, saying what happened: JetStream answered with an
     * error (a full stream or server: certainly not stored), it was never sent (not stored either),
     * or no answer came in time (it may be stored).
     */
    private Rejection notAcknowledged(Throwable cause) {
        var refusal = refusal(cause);
        if (refusal != null) {
            return new Rejection(503, "JetStream refused to store the measurement: " + refusal
                    + "; it was not stored; retrying with the same id is safe");
        }
        if (cause instanceof NotAcknowledgedException n && !n.possiblyStored()) {
            return new Rejection(503, "NATS JetStream did not acknowledge the measurement (" + n.reason()
                    + "); it was not stored; retrying with the same id is safe");
        }
        return new Rejection(503, "NATS JetStream did not acknowledge within " + ackTimeout.toMillis() + " ms (" + reason(cause)
                + "); the measurement may or may not be stored; retrying with the same id is safe");
    }

    /** The 503 for a batch at its first measurement without an ack, saying what happened to that one. */
    private static Rejection notAcknowledged(NotAcknowledgedAt at, int size) {
        var refusal = refusal(at.getCause());
        return new Rejection(503, (refusal != null
                ? "JetStream refused to store measurement " + (at.index + 1) + " of " + size + ": " + refusal
                : "JetStream did not acknowledge measurement " + (at.index + 1) + " of " + size + " (" + reason(at.getCause()) + ")")
                + "; the batch may be partly stored; retrying it is safe for measurements that have an id");
    }

    /** JetStream's own words when it answered with an error ("maximum bytes exceeded, JetStream error 10077"), else null. */
    private static String refusal(Throwable cause) {
        if (cause instanceof NotAcknowledgedException n && n.refusal() != null) {
            var api = n.refusal();
            var what = api.getErrorDescription() == null || api.getErrorDescription().isBlank()
                    ? api.getMessage() : api.getErrorDescription();
            return what + " (JetStream error " + api.getApiErrorCode() + ")";
        }
        return null;
    }

    private static String reason(Throwable cause) {
        if (cause instanceof NotAcknowledgedException n) {
            return n.reason();
        }
        return cause == null ? "no reason given" : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The first measurement of a batch that was not acknowledged: its 0-based index and why. */
    private static final class NotAcknowledgedAt extends Exception {
        final long index;

        NotAcknowledgedAt(long index, Throwable cause) {
            super(null, cause, false, false); // a signal between two threads: no stack trace
            this.index = index;
        }
    }
}
