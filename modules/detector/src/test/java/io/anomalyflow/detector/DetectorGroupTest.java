package io.anomalyflow.detector;

import static io.anomalyflow.detector.DetectorFixture.config;
import static io.anomalyflow.detector.DetectorFixture.ledger;
import static io.anomalyflow.detector.DetectorFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestNats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several detectors of one group in this JVM against a real nats-server: they share the work (each
 * judges a part, none all), and together they store every anomaly exactly once; poison among the
 * measurements is terminated and counted, and never holds up what comes after it.
 */
class DetectorGroupTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private TestNats nats;

    @BeforeEach
    void connect() throws Exception {
        nats = DetectorFixture.cleanServer(NATS.server(), "detector-group-test");
    }

    @AfterEach
    void close() {
        nats.close();
    }

    @Test
    void threeDetectorsStartedTogetherShareFiftyThousandMeasurementsAndStoreEachAnomalyOnce() throws Exception {
        int count = 50_000;
        DetectorFixture.createMeasurements(nats);
        // started at the same moment, so all three race to create the group's consumer
        try (var group = DetectorGroup.startTogether(3, () -> Detector.start(config(NATS.server())))) {
            long started = System.nanoTime();
            DetectorFixture.publishFast(nats, DetectorFixture.measurements(count, 0));
            DetectorFixture.awaitGroupDone(nats, "detectors", WAIT);
            long millis = (System.nanoTime() - started) / 1_000_000;
            // before the ledger reads the stream (with an ordered consumer of its own)
            assertThat(TestNats.consumers(nats.nc, "MEASUREMENTS")).as("one consumer for the group").containsExactly("detectors");

            var report = ledger(nats);
            assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
            assertThat(report.expected()).isEqualTo(report.stored()).isEqualTo(count / 50 * 21);
            var shares = new ArrayList<Double>();
            for (var d : group.detectors()) {
                shares.add(metric(d.url(), "anomalyflow_detector_measurements_total"));
            }
            System.out.println("3 detectors, " + count + " measurements in " + millis + " ms, shares " + shares);
            assertThat(shares).as("each detector judged a share").allSatisfy(s -> assertThat(s).isPositive());
            assertThat(shares).as("no detector judged them all").allSatisfy(s -> assertThat(s).isLessThan(count));
            // a measurement is counted once per ack: redeliveries (slow acks on a loaded machine) may add some
            assertThat(shares.stream().mapToDouble(Double::doubleValue).sum()).isGreaterThanOrEqualTo(count);
        }
    }

    @Test
    void poisonInterleavedAndInRunsLongerThanTheAckPendingLimitIsCountedAndNeverBlocks() throws Exception {
        DetectorFixture.createMeasurements(nats);
        var bodies = new ArrayList<byte[]>();
        int poison = 0;
        for (int i = 1; i <= 2_000; i++) {
            boolean isPoison = i % 37 == 0 || (i > 1_000 && i <= 1_100); // interleaved, then 100 in a row
            bodies.add(isPoison ? ("{\"poison\":" + i).getBytes() : DetectorFixture.measurement(i));
            poison += isPoison ? 1 : 0;
        }
        bodies.add("the last message is poison".getBytes());
        poison++;
        // a group holding at most 16 unacknowledged: poison left unanswered would stall it at once
        try (var group = DetectorGroup.startTogether(2, () -> Detector.start(config(NATS.server(),
                "--max-ack-pending", "16", "--window", "8")))) {
            var seqs = nats.publishAll("measurements", bodies, 256);
            DetectorFixture.awaitGroupDone(nats, "detectors", WAIT);

            var report = ledger(nats);
            assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
            assertThat(report.stored()).isPositive();
            double poisonSeen = 0;
            double judged = 0;
            for (var d : group.detectors()) {
                poisonSeen += metric(d.url(), "anomalyflow_detector_poison_total");
                judged += metric(d.url(), "anomalyflow_detector_measurements_total");
            }
            assertThat(poisonSeen).as("each poison counted once: terminated, never delivered again").isEqualTo(poison);
            assertThat(judged).isGreaterThanOrEqualTo(bodies.size() - poison);
            var info = nats.nc.jetStreamManagement().getConsumerInfo("MEASUREMENTS", "detectors");
            assertThat(info.getAckFloor().getStreamSequence()).as("acked past the last message")
                    .isEqualTo(seqs.get(seqs.size() - 1));
        }
    }

    /** Detectors started on threads of their own, released at once; closed together. */
    record DetectorGroup(List<Detector> detectors) implements AutoCloseable {
        static DetectorGroup startTogether(int n, Callable<Detector> start) throws Exception {
            var gate = new CountDownLatch(1);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<java.util.concurrent.Future<Detector>>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        gate.await();
                        return start.call();
                    }));
                }
                gate.countDown();
                var started = new ArrayList<Detector>();
                for (var f : futures) {
                    started.add(f.get());
                }
                return new DetectorGroup(List.copyOf(started));
            }
        }

        @Override
        public void close() {
            detectors.parallelStream().forEach(Detector::close);
        }
    }
}
