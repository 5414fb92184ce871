package io.anomalyflow.detector;

import static io.anomalyflow.detector.DetectorFixture.config;
import static io.anomalyflow.detector.DetectorFixture.get;
import static io.anomalyflow.detector.DetectorFixture.ledger;
import static io.anomalyflow.detector.DetectorFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.events.AnomalyEvents;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One detector in this JVM against a real nats-server: what it stores, acks, counts and reports. */
class DetectorTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private TestNats nats;

    @BeforeEach
    void connect() throws Exception {
        nats = DetectorFixture.cleanServer(NATS.server(), "detector-test");
    }

    @AfterEach
    void close() {
        nats.close();
    }

    @Test
    void storesEveryAnomalyOnceTerminatesPoisonAndAcksEverything() throws Exception {
        DetectorFixture.createMeasurements(nats);
        nats.publishAll("measurements", DetectorFixture.measurements(3_000, 100), 256);
        try (var detector = Detector.start(config(NATS.server()))) {
            await().atMost(WAIT).untilAsserted(() -> {
                var info = nats.nc.jetStreamManagement().getConsumerInfo("MEASUREMENTS", "detectors");
                assertThat(info.getNumPending()).isZero();
                assertThat(info.getNumAckPending()).isZero();
            });
            var report = ledger(nats);
            assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
            assertThat(report.expected()).isEqualTo(report.stored()).isGreaterThan(1_000);
            var base = detector.url();
            assertThat(metric(base, "anomalyflow_detector_poison_total")).isEqualTo(30);
            assertThat(metric(base, "anomalyflow_detector_measurements_total")).isEqualTo(3_000 - 30);
            assertThat(metric(base, "anomalyflow_detector_anomalies_published_total")).isEqualTo(report.expected());
            assertThat(metric(base, "anomalyflow_detector_in_flight")).isZero();
            var health = get(base, "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"phase\":\"reading\"", "\"group\":\"detectors\"");
        }
    }

    @Test
    void anAnomalyEventIsTheListedJsonWithItsSourceInHeaders() throws Exception {
        DetectorFixture.createMeasurements(nats);
        long seq = nats.measurement("measurements", "7", "12.50");
        var stored = nats.nc.jetStreamManagement().getMessage("MEASUREMENTS", seq);
        try (var detector = Detector.start(config(NATS.server()))) {
            await().atMost(WAIT).until(() -> TestNats.messageCount(nats.nc, "ANOMALIES") == 1);
            var event = AnomalyLedger.readAll(nats.nc, "ANOMALIES").get(0);
            var anomaly = DetectorFixture.CODEC.decodeAnomaly(event.getData());
            assertThat(anomaly.seq()).isEqualTo(seq);
            assertThat(anomaly.deviceId()).isEqualTo("7");
            assertThat(anomaly.anomaly()).isEqualTo("Value too low 12.50");
            assertThat(new String(event.getData())).isEqualTo(new String(DetectorFixture.CODEC.encode(anomaly)));
            var h = event.getHeaders();
            assertThat(h.getFirst(AnomalyEvents.MESSAGE_ID)).isEqualTo("MEASUREMENTS-" + seq);
            assertThat(h.getFirst(AnomalyEvents.SOURCE_STREAM)).isEqualTo("MEASUREMENTS");
            assertThat(h.getFirst(AnomalyEvents.SOURCE_SEQUENCE)).isEqualTo(Long.toString(seq));
            assertThat(AnomalyEvents.parseTime(h.getFirst(AnomalyEvents.SOURCE_TIME)))
                    .isEqualTo(stored.getTime().toInstant());
        }
    }

    @Test
    void waitsForTheMeasurementsStreamAndStartsWhenItAppears() throws Exception {
        try (var detector = Detector.start(config(NATS.server()))) {
            await().atMost(WAIT).untilAsserted(() -> {
                var health = get(detector.url(), "/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("MEASUREMENTS does not exist", "\"phase\":\"waiting\"");
            });
            DetectorFixture.createMeasurements(nats);
            nats.publishAll("measurements", DetectorFixture.measurements(100, 0), 100);
            await().atMost(WAIT).until(() -> get(detector.url(), "/health").statusCode() == 200);
            await().atMost(WAIT).untilAsserted(() -> assertThat(ledger(nats).exactlyOnce()).isTrue());
            assertThat(ledger(nats).stored()).isEqualTo(ledger(nats).expected()).isPositive();
        }
    }

    @Test
    void anIncompatibleAnomaliesStreamStopsTheStartNamingTheSetting() throws Exception {
        nats.nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ANOMALIES").subjects("anomalies")
                .storageType(StorageType.Memory).duplicateWindow(Duration.ofSeconds(5)).build());
        assertThatThrownBy(() -> Detector.start(config(NATS.server())))
                .isInstanceOf(DetectorStartException.class)
                .hasMessageContaining("ANOMALIES")
                .hasMessageContaining("duplicate window");
    }

    @Test
    void aGroupWhoseAckWaitOutlastsTheDuplicateWindowIsRefused() throws Exception {
        DetectorFixture.createMeasurements(nats);
        nats.nc.jetStreamManagement().addOrUpdateConsumer("MEASUREMENTS", io.nats.client.api.ConsumerConfiguration.builder()
                .durable("detectors").ackPolicy(io.nats.client.api.AckPolicy.Explicit).ackWait(Duration.ofMinutes(5)).build());
        assertThatThrownBy(() -> Detector.start(config(NATS.server())))
                .isInstanceOf(DetectorStartException.class)
                .hasMessageContaining("group detectors")
                .hasMessageContaining("ack wait");
    }
}
