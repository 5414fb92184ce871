package io.anomalyflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.AppProcess;
import io.anomalyflow.testsupport.NatsCluster;
import io.anomalyflow.testsupport.SseReader;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scaled-out shape of {@code make run-cluster}, from the real jars: a 3-node NATS cluster, the
 * streams at 3 replicas, two gateways, two detectors of one group, a client that judges the
 * measurements itself ({@code --source measurements}, the original shape) and one that reads the
 * detectors' anomalies ({@code --source anomalies}). Two senders send through one gateway each; then:
 * <ol>
 *   <li>every measurement acknowledged is stored, and ANOMALIES holds each anomaly among them exactly
 *       once (test-support's {@link AnomalyLedger}, matched by source sequence);</li>
 *   <li>both detectors did a share, and their counts add up to the stream;</li>
 *   <li>the anomalies client lists exactly the rows the measurements client lists, and those are the
 *       stored measurements at or below 20;</li>
 *   <li>an SSE reader of each client, connected before the load, got every anomaly once, with the
 *       same JSON on both.</li>
 * </ol>
 */
class ScaledOutTest {
    private static final int PER_SENDER = 2_000;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void gatewaysDetectorsAndClientsScaleOutOverACluster() throws Exception {
        try (var cluster = NatsCluster.start("e2e", 3); var apps = new Apps(Path.of("target", "e2e-logs", "scaled-out"))) {
            try (Connection nc = Nats.connect(ScaledOut.options(cluster.urls()))) {
                ScaledOut.awaitJetStream(nc, START);
                run(apps, cluster.urls(), nc);
            } catch (Throwable t) {
                t.addSuppressed(new AssertionError("logs of the apps:" + apps.logs() + "\nNATS:\n" + cluster.logs()));
                throw t;
            }
        } finally {
            http.shutdownNow();
        }
    }

    private void run(Apps apps, String nats, Connection nc) throws Exception {
        var gateways = startApps(apps, "gateway", 2, "--nats", nats, "--replicas", "3");
        var detectors = startApps(apps, "detector", 2, "--nats", nats, "--replicas", "3");
        // Buffers as large as the run: this test is about the hand-off, not about dropping for slow readers.
        var buffer = Integer.toString(2 * PER_SENDER);
        var judging = startApps(apps, "client", 1, "--nats", nats, "--sse-buffer", buffer).get(0);
        var reading = startApps(apps, "client", 1, "--nats", nats, "--sse-buffer", buffer,
                "--source", "anomalies").get(0);
        var judgingReader = SseReader.connected(judging.resolve("/anomalies/stream"));
        var readingReader = SseReader.connected(reading.resolve("/anomalies/stream"));

        var senders = new ArrayList<AppProcess>();
        for (int i = 0; i < gateways.size(); i++) {
            senders.add(apps.startAs("sender-" + (i + 1), "sender", "--gateway", gateways.get(i).toString(),
                    "--count", Integer.toString(PER_SENDER), "--concurrency", "16", "--progress", "none"));
        }
        for (var sender : senders) {
            assertThat(sender.process().waitFor(3, TimeUnit.MINUTES)).as("%s finished", sender).isTrue();
            assertThat(sender.process().exitValue()).as("exit status of %s (0 = all acknowledged)", sender).isZero();
        }

        // 1. everything stored, each anomaly once in ANOMALIES
        long stored = ScaledOut.messages(nc, "MEASUREMENTS");
        assertThat(stored).as("measurements stored").isEqualTo(2L * PER_SENDER);
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(() -> ScaledOut.groupDone(nc, "detectors"));
        var report = AnomalyLedger.check(nc, "MEASUREMENTS", "ANOMALIES", ScaledOut::isAnomaly);
        assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
        assertThat(report.expected()).as("about one in five is an anomaly").isBetween((int) stored / 10, (int) stored * 3 / 10);

        // 2. both detectors worked, and between them judged each measurement once
        long judged = 0;
        long published = 0;
        for (var d : detectors) {
            long mine = ScaledOut.metric(http, d, "anomalyflow_detector_measurements_total");
            assertThat(mine).as("measurements judged by %s", d).isPositive();
            judged += mine;
            published += ScaledOut.metric(http, d, "anomalyflow_detector_anomalies_published_total");
        }
        assertThat(judged).as("measurements judged by the group").isEqualTo(stored);
        assertThat(published).as("anomalies the group stored as new").isEqualTo(report.stored());

        // 3. both clients list the same rows: the stored measurements at or below 20
        var reference = ScaledOut.anomaliesInStream(nc, stored);
        assertThat(reference).hasSize(report.expected());
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(ScaledOut.listed(http, judging).keySet()).containsExactlyElementsOf(reference.keySet());
            assertThat(ScaledOut.listed(http, reading).keySet()).containsExactlyElementsOf(reference.keySet());
        });
        var rows = ScaledOut.listed(http, judging);
        rows.forEach((seq, row) -> assertThat(ScaledOut.key(row)).as("row %d", seq).isEqualTo(reference.get(seq)));
        assertThat(ScaledOut.listed(http, reading)).as("the anomalies client's rows").isEqualTo(rows);

        // 4. each SSE reader got each anomaly once, with the JSON the list shows
        for (var reader : List.of(judgingReader, readingReader)) {
            await().atMost(SETTLE).until(() -> reader.events().size() >= reference.size() || reader.failure() != null);
            assertThat(reader.failure()).isNull();
            Map<Long, JsonNode> events = new TreeMap<>();
            for (var e : reader.events()) {
                var data = ScaledOut.JSON.readTree(e.data());
                assertThat(events.put(data.get("seq").asLong(), data)).as("event %s came twice", e.data()).isNull();
            }
            assertThat(events).as("what the SSE reader got").isEqualTo(rows);
            reader.close();
        }
    }

    /**
     * Starts {@code count} instances of {@code app}, each on a free port with {@code args}, all at once
     * (logs under {@code <app>-<port>/}), then waits for each one's {@code /health}; returns their base URLs.
     */
    private static List<URI> startApps(Apps apps, String app, int count, String... args) throws Exception {
        var processes = new ArrayList<AppProcess>();
        var urls = new ArrayList<URI>();
        for (int i = 0; i < count; i++) {
            int port = Apps.freePort();
            var all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--port", Integer.toString(port)));
            processes.add(apps.startAs(app + "-" + port, app, all.toArray(String[]::new)));
            urls.add(URI.create("http://127.0.0.1:" + port));
        }
        for (int i = 0; i < count; i++) {
            apps.awaitHttp(processes.get(i), urls.get(i).resolve("/health"), START);
        }
        return urls;
    }
}
