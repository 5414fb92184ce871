package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.nats.StreamSetup;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StreamConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batch path's promises, over a real nats-server, below HTTP. */
@ExtendWith(NatsServerExtension.class)
class MeasurementWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WINDOW = 8;

    private static List<Measurement> batch(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> new Measurement(prefix + i, Instant.now(), "7", BigDecimal.valueOf(i))).toList();
    }

    private static long stored(Connection nc, String stream) {
        try {
            return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A batch that runs past its time bound gets its 503, and from then on nothing more of it is
     * published: with the server paused, the window's messages are on their way when the bound
     * expires; after the server resumes, only they are stored, and the acks that come back start
     * nothing new.
     */
    @Test
    void aBatchAnswered503AfterItsTimeBoundPublishesNothingMore(NatsServer nats) throws Exception {
        var config = GatewayFixture.config(nats, "--stream", "BOUND", "--subject", "bound",
                "--batch-window", Integer.toString(WINDOW), "--ack-timeout", "20s");
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "writer-test").build());
             var appender = JetStreamAppender.create(nc, 64, config.ackTimeout())) {
            StreamSetup.ensure(nc.jetStreamManagement(), config.stream());
            var writer = new MeasurementWriter(appender, EventCodec.create(), config, InstantSource.system(),
                    new GatewayMetrics(() -> true), size -> Duration.ofMillis(500));
            nats.pause();
            try {
                assertThatThrownBy(() -> writer.writeAll(batch("b-", 2_000)))
                        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(503));
            } finally {
                nats.resume();
            }
            await().atMost(WAIT).until(() -> appender.inFlight() == 0);
            long stored = stored(nc, "BOUND");
            assertThat(stored).as("at most the window was out when the gateway answered").isBetween(1L, (long) WINDOW);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> stored(nc, "BOUND") == stored);
        }
    }

    /** A gateway shutting down interrupts the request thread: that 503 cancels the batch too. */
    @Test
    void anInterruptedBatchIs503AndPublishesNothingMore(NatsServer nats) throws Exception {
        var config = GatewayFixture.config(nats, "--stream", "INTERRUPTED", "--subject", "interrupted",
                "--batch-window", Integer.toString(WINDOW), "--ack-timeout", "20s");
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "writer-test").build());
             var appender = JetStreamAppender.create(nc, 64, config.ackTimeout())) {
            StreamSetup.ensure(nc.jetStreamManagement(), config.stream());
            var writer = new MeasurementWriter(appender, EventCodec.create(), config, InstantSource.system(),
                    new GatewayMetrics(() -> true));
            var outcome = new java.util.concurrent.CompletableFuture<Throwable>();
            nats.pause();
            try {
                var request = Thread.ofVirtual().start(() -> {
                    try {
                        writer.writeAll(batch("i-", 2_000));
                        outcome.complete(null);
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                });
                await().atMost(WAIT).until(() -> appender.inFlight() == WINDOW); // the window is out, unacked
                request.interrupt();
                assertThat(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(503));
            } finally {
                nats.resume();
            }
            await().atMost(WAIT).until(() -> appender.inFlight() == 0);
            assertThat(stored(nc, "INTERRUPTED")).isEqualTo(WINDOW);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> stored(nc, "INTERRUPTED") == WINDOW);
        }
    }

    /**
     * A batch is answered {@code 503} at its first measurement JetStream did not acknowledge, not
     * after every window had its turn to time out: with the server paused and a 1 s ack timeout, a
     * batch of 2 000 in windows of 8 would otherwise take 250 s. What was published by then is at
     * most a few windows, and nothing more follows the answer.
     */
    @Test
    void aBatchIs503AtItsFirstUnacknowledgedMeasurement(NatsServer nats) throws Exception {
        var config = GatewayFixture.config(nats, "--stream", "FIRSTFAIL", "--subject", "firstfail",
                "--batch-window", Integer.toString(WINDOW), "--ack-timeout", "1s");
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "writer-test").build());
             var appender = JetStreamAppender.create(nc, 64, config.ackTimeout())) {
            StreamSetup.ensure(nc.jetStreamManagement(), config.stream());
            var writer = new MeasurementWriter(appender, EventCodec.create(), config, InstantSource.system(),
                    new GatewayMetrics(() -> true));
            nats.pause();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> writer.writeAll(batch("f-", 2_000)))
                        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(503)));
            } finally {
                nats.resume();
            }
            await().atMost(WAIT).until(() -> appender.inFlight() == 0);
            long stored = stored(nc, "FIRSTFAIL");
            assertThat(stored).as("a few windows at most were out when the gateway answered").isLessThanOrEqualTo(4L * WINDOW);
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> stored(nc, "FIRSTFAIL") == stored);
        }
    }

    /**
     * What a {@code 503} batch had acknowledged before its first refusal is counted as accepted: a
     * stream that takes 10 messages and refuses the 11th (discard new) acknowledges the first 10.
     */
    @Test
    void whatA503BatchHadAcknowledgedIsCountedAsAccepted(NatsServer nats) throws Exception {
        var config = GatewayFixture.config(nats, "--stream", "LIMITED", "--subject", "limited",
                "--batch-window", Integer.toString(WINDOW));
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "writer-test").build());
             var appender = JetStreamAppender.create(nc, 64, config.ackTimeout())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder(config.stream().toConfiguration())
                    .maxMessages(10).discardPolicy(DiscardPolicy.New).build());
            var metrics = new GatewayMetrics(() -> true);
            var writer = new MeasurementWriter(appender, EventCodec.create(), config, InstantSource.system(), metrics);
            assertThatThrownBy(() -> writer.writeAll(batch("l-", 30)))
                    .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(503));
            await().atMost(WAIT).until(() -> appender.inFlight() == 0);
            assertThat(stored(nc, "LIMITED")).isEqualTo(10);
            assertThat(metrics.accepted().value()).as("the acknowledged part of the 503 batch").isEqualTo(10);
        }
    }
}
