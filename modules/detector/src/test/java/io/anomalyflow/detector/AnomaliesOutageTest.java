package io.anomalyflow.detector;

import static io.anomalyflow.detector.DetectorFixture.config;
import static io.anomalyflow.detector.DetectorFixture.get;
import static io.anomalyflow.detector.DetectorFixture.ledger;
import static io.anomalyflow.detector.DetectorFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ANOMALIES refuses every write for a while (it is capped at the messages it holds, new ones
 * discarded: nothing is lost, nothing more is stored) while the group has thousands of measurements to
 * judge. The detectors must stop pulling rather than ack measurements whose anomaly was not stored,
 * say why on {@code /health}, and catch up once the stream takes writes again, exactly once.
 */
class AnomaliesOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int WINDOW = 32;
    private static final int MAX_ACK_PENDING = 64;

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private TestNats nats;

    @BeforeEach
    void connect() throws Exception {
        nats = DetectorFixture.cleanServer(NATS.server(), "anomalies-outage-test");
    }

    @AfterEach
    void close() {
        nats.close();
    }

    @Test
    void whileAnomaliesRefusesWritesTheDetectorsStopPullingAndReportItThenCatchUpExactlyOnce() throws Exception {
        DetectorFixture.createMeasurements(nats);
        try (var group = DetectorGroupTest.DetectorGroup.startTogether(2, () -> Detector.start(config(NATS.server(),
                "--window", Integer.toString(WINDOW), "--max-ack-pending", Integer.toString(MAX_ACK_PENDING))))) {
            DetectorFixture.publishFast(nats, DetectorFixture.measurements(2_000, 0));
            DetectorFixture.awaitGroupDone(nats, "detectors", WAIT);
            long storedBefore = TestNats.messageCount(nats.nc, "ANOMALIES");
            assertThat(storedBefore).isEqualTo(2_000 / 50 * 21);

            var jsm = nats.nc.jetStreamManagement();
            var open = jsm.getStreamInfo("ANOMALIES").getConfiguration();
            jsm.updateStream(StreamConfiguration.builder(open).maxMessages(storedBefore).discardPolicy(DiscardPolicy.New).build());
            int more = 10_000;
            DetectorFixture.publishFast(nats, DetectorFixture.measurements(more, 0));

            for (var d : group.detectors()) {
                await().atMost(WAIT).untilAsserted(() -> {
                    var health = get(d.url(), "/health");
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(health.body()).contains("\"phase\":\"paused\"", "stream ANOMALIES did not store an anomaly");
                });
            }
            double judged0 = sum(group.detectors(), "anomalyflow_detector_measurements_total");
            double pauses0 = sum(group.detectors(), "anomalyflow_detector_pauses_total");
            long outageStarted = System.nanoTime();
            // two more retries each, every one refused: each may judge at most what one run pulls
            await().atMost(WAIT).until(() -> sum(group.detectors(), "anomalyflow_detector_pauses_total") >= pauses0 + 4);
            double judged1 = sum(group.detectors(), "anomalyflow_detector_measurements_total");
            double pauses1 = sum(group.detectors(), "anomalyflow_detector_pauses_total");
            var info = jsm.getConsumerInfo("MEASUREMENTS", "detectors");
            long outageMillis = (System.nanoTime() - outageStarted) / 1_000_000;
            System.out.println("outage: " + (pauses1 - pauses0) + " refused runs in " + outageMillis + " ms judged "
                    + (judged1 - judged0) + "; backlog " + info.getNumPending() + ", ack pending " + info.getNumAckPending());

            assertThat(TestNats.messageCount(nats.nc, "ANOMALIES")).as("refused: nothing stored").isEqualTo(storedBefore);
            assertThat(info.getNumAckPending()).isLessThanOrEqualTo(MAX_ACK_PENDING);
            // A run ends at its first refused anomaly: it has pulled at most its window of anomalies and the
            // measurements among them (at most 29 of 50 are none), plus one pull ahead.
            double perRun = WINDOW * 50.0 / 21 + 2 * WINDOW;
            assertThat(judged1 - judged0).as("judged while refused").isLessThanOrEqualTo((pauses1 - pauses0 + 2) * perRun);
            assertThat(info.getNumPending()).as("the backlog waits").isGreaterThan(more / 2);

            jsm.updateStream(StreamConfiguration.builder(open).build()); // unlimited again
            long reopened = System.nanoTime();
            DetectorFixture.awaitGroupDone(nats, "detectors", WAIT);
            long catchUpMillis = (System.nanoTime() - reopened) / 1_000_000;
            System.out.println("catch-up after ANOMALIES took writes again: " + catchUpMillis + " ms for "
                    + info.getNumPending() + " measurements");

            var report = ledger(nats);
            assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
            assertThat(report.stored()).isEqualTo((2_000 + more) / 50 * 21);
            for (var d : group.detectors()) {
                await().atMost(WAIT).until(() -> get(d.url(), "/health").statusCode() == 200);
            }
        }
    }

    private static double sum(List<Detector> detectors, String metric) throws Exception {
        double total = 0;
        for (var d : detectors) {
            total += metric(d.url(), metric);
        }
        return total;
    }
}
