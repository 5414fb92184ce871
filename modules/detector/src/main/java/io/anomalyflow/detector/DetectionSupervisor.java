package io.anomalyflow.detector;

import io.anomalyflow.detector.DetectorStatus.Phase;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.nats.Acks;
import io.anomalyflow.flow.nats.IncompatibleStreamException;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.JetStreamErrors;
import io.anomalyflow.flow.nats.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link DetectionRun} going for as long as the detector is open, on a virtual thread of
 * its own:
 * <ol>
 *   <li>waits until the measurements' stream exists ({@link Phase#WAITING}, checked every second);</li>
 *   <li>makes sure the anomalies' stream exists and fits ({@link StreamSetup}; re-created when it was
 *       deleted meanwhile);</li>
 *   <li>runs the chain ({@link Phase#READING}) until it ends;</li>
 *   <li>after a failure, pauses ({@link Phase#PAUSED}, 1 s doubling to 16 s) and goes back to 1.</li>
 * </ol>
 * After a pause the detector reports a problem until the new run has stored an anomaly or has run for a
 * publish timeout without failing: a health check flapping to "up" at each retry would hide a fault.
 */
final class DetectionSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionSupervisor.class);
    private static final Duration WAIT_FOR_STREAM = Duration.ofSeconds(1);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(16);
    /** A run that lasted this long resets the pause to the first one. */
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(30);

    private final Connection nc;
    private final JetStreamManagement jsm;
    private final JetStreamAppender appender;
    private final DetectorConfig config;
    private final Judge judge;
    private final EventCodec codec;
    private final Acks acks;
    private final DetectorMetrics metrics;
    private final DetectorStatus status;
    private final Thread loop;
    private volatile DetectionRun current;
    private volatile boolean closed;

    DetectionSupervisor(Connection nc, JetStreamManagement jsm, JetStreamAppender appender, DetectorConfig config,
                        EventCodec codec, DetectorMetrics metrics, DetectorStatus status) {
        this.nc = nc;
        this.jsm = jsm;
        this.appender = appender;
        this.config = config;
        this.codec = codec;
        this.acks = Acks.on(nc);
        this.metrics = metrics;
        this.status = status;
        this.judge = new Judge(codec, config.rule(), acks, metrics);
        this.loop = Thread.ofVirtual().name("detector-supervisor").unstarted(this::supervise);
    }

    void start() {
        loop.start();
    }

    private void supervise() {
        var pause = Duration.ZERO;
        String lastProblem = null;
        try {
            while (!closed) {
                var missing = sourceProblem();
                if (missing != null) {
                    status.set(Phase.WAITING, missing);
                    Thread.sleep(WAIT_FOR_STREAM);
                    continue;
                }
                var outProblem = ensureOut();
                if (outProblem == null) {
                    long started = System.nanoTime();
                    var run = DetectionRun.start(nc, appender, config, judge, codec, acks, metrics, status);
                    current = run;
                    status.set(Phase.READING, lastProblem == null ? null : "recovering after: " + lastProblem);
                    outProblem = follow(run);
                    if (closed) {
                        return;
                    }
                    if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                        pause = Duration.ZERO;
                    }
                }
                lastProblem = outProblem;
                pause = pause.isZero() ? FIRST_PAUSE : min(pause.multipliedBy(2), LONGEST_PAUSE);
                metrics.pauses.inc();
                status.set(Phase.PAUSED, outProblem + " (retrying in " + pause.toSeconds() + " s)");
                LOG.warn("detector paused for {} s: {}", pause.toSeconds(), outProblem);
                Thread.sleep(pause);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            status.set(Phase.STOPPED, "stopped");
        }
    }

    /** Waits for the run's end, clearing the problem it inherited once it ran a publish timeout without failing. */
    private String follow(DetectionRun run) throws InterruptedException {
        var settle = config.publishTimeout().plusSeconds(1);
        if (!run.awaitEnd(settle)) {
            status.cleared();
            while (!run.awaitEnd(Duration.ofSeconds(1))) {
                // the run goes on; close() stops it
            }
        }
        return run.endReason();
    }

    /** Why the measurements cannot be read now, or {@code null} when their stream is there. */
    private String sourceProblem() {
        try {
            jsm.getStreamInfo(config.stream());
            return null;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
                return "stream " + config.stream() + " does not exist yet: waiting for it (a gateway creates it)";
            }
            return "stream " + config.stream() + " is not available: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            return "NATS did not answer about stream " + config.stream() + ": " + e.getMessage();
        }
    }

    /** Makes sure the anomalies' stream is there (it may have been deleted); the problem, or {@code null}. */
    private String ensureOut() {
        try {
            StreamSetup.ensure(jsm, config.out());
            return null;
        } catch (IncompatibleStreamException e) {
            return "stream " + config.out().name() + " has an incompatible configuration: " + e.getMessage();
        } catch (RuntimeException e) {
            return "stream " + config.out().name() + " cannot be set up: " + e.getMessage();
        }
    }

    /**
     * Stops reading: the current run publishes nothing more, what it published gets its ack (bounded by
     * the publish timeout), and its reading thread hands back what it held. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(5)); // then no run starts any more: current is the last one
            var run = current;
            if (run != null) {
                run.stop();
                if (!run.awaitEnd(config.publishTimeout().plusSeconds(1))) {
                    LOG.warn("closing: anomalies still waited for their ack; their measurements come again");
                }
                run.awaitReaderStopped(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
