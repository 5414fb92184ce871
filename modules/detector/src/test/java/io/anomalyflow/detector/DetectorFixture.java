package io.anomalyflow.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.api.StorageType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the detector's tests share: configs on a test server, the measurements they publish, the ledger. */
final class DetectorFixture {
    static final EventCodec CODEC = EventCodec.create();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private DetectorFixture() {
    }

    /** A connection to {@code server} after deleting every stream on it: each test starts from nothing. */
    static TestNats cleanServer(NatsServer server, String name) throws Exception {
        var nats = TestNats.connect(io.anomalyflow.flow.nats.NatsConnections.options(server.url(), name));
        var jsm = nats.nc.jetStreamManagement();
        for (var s : jsm.getStreamNames()) {
            jsm.deleteStream(s);
        }
        return nats;
    }

    /** Memory storage, a free port, a short ack wait, then {@code args} (later ones win). */
    static DetectorConfig config(NatsServer nats, String... args) {
        var all = new ArrayList<>(List.of("--nats", nats.url(), "--port", "0", "--storage", "memory",
                "--ack-wait", "2s", "--duplicate-window", "1m", "--publish-timeout", "2s"));
        all.addAll(List.of(args));
        return DetectorConfig.parse(all, Map.of());
    }

    /** A measurement whose value is {@code i % 50}: about two in five are anomalies (at or below 20). */
    static byte[] measurement(int i) {
        return TestNats.json("dev-" + (i % 7), Integer.toString(i % 50)).getBytes();
    }

    static List<byte[]> measurements(int count, int poisonEvery) {
        var bodies = new ArrayList<byte[]>(count);
        for (int i = 1; i <= count; i++) {
            bodies.add(poisonEvery > 0 && i % poisonEvery == 0 ? ("poison #" + i).getBytes() : measurement(i));
        }
        return bodies;
    }

    /**
     * Publishes every body with plain NATS publishes (no ack round trip each: 50 000 take a second or
     * two), then waits until MEASUREMENTS holds them all besides what it held before.
     */
    static void publishFast(TestNats nats, List<byte[]> bodies) throws Exception {
        long before = TestNats.messageCount(nats.nc, "MEASUREMENTS");
        for (var body : bodies) {
            nats.nc.publish("measurements", body);
        }
        nats.nc.flush(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestNats.messageCount(nats.nc, "MEASUREMENTS") >= before + bodies.size());
    }

    /** Waits until the group's consumer has handed out everything and holds nothing unacknowledged. */
    static void awaitGroupDone(TestNats nats, String group, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            var info = nats.nc.jetStreamManagement().getConsumerInfo("MEASUREMENTS", group);
            assertThat(info.getNumPending()).as("backlog").isZero();
            assertThat(info.getNumAckPending()).as("ack pending").isZero();
        });
    }

    static void createMeasurements(TestNats nats) throws Exception {
        TestNats.createStream(nats.nc, "MEASUREMENTS", StorageType.Memory, "measurements");
    }

    static boolean isAnomaly(byte[] data) {
        try {
            return AnomalyRule.DEFAULT.isAnomaly(CODEC.decodeMeasurement(data));
        } catch (InvalidEventException e) {
            return false;
        }
    }

    static AnomalyLedger.Report ledger(TestNats nats) throws Exception {
        return AnomalyLedger.check(nats.nc, "MEASUREMENTS", "ANOMALIES", DetectorFixture::isAnomaly);
    }

    static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of an unlabelled metric in {@code /metrics}, or -1 when absent. */
    static double metric(URI base, String name) throws Exception {
        for (var line : get(base, "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }
}
