package io.anomalyflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.SseReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole system, started as a user starts it: a real nats-server -js (test-support), then
 * {@code java -jar gateway.jar}, {@code client.jar} and {@code sender.jar} as processes on free
 * loopback ports. The sender sends 20 000 measurements through the gateway; then the test checks
 * that the numbers agree everywhere:
 * <ol>
 *   <li>acknowledged (the sender's summary, exit status 0) = new messages in the stream (jnats
 *       stream info) = measurements the client read (its {@code /metrics});</li>
 *   <li>the client's anomalies = exactly the stored measurements with a value ≤ 20 (the stream read
 *       back with jnats is the reference);</li>
 *   <li>an SSE reader opened before the load got every one of them, once, in seq order.</li>
 * </ol>
 */
@ExtendWith(NatsServerExtension.class)
class EndToEndTest {
    private static final int COUNT = 20_000;
    private static final String STREAM = "MEASUREMENTS";
    private static final BigDecimal THRESHOLD = BigDecimal.valueOf(20);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void measurementsFlowFromSenderToAnomalyReaders(NatsServer nats) throws Exception {
        try (var apps = new Apps(Path.of("target", "e2e-logs")); Connection nc = Nats.connect(nats.url())) {
            try {
                run(apps, nats, nc);
            } catch (Throwable t) {
                t.addSuppressed(new AssertionError("logs of the apps:" + apps.logs()));
                throw t;
            }
        } finally {
            http.shutdownNow(); // don't wait for a stream a failed test left open
        }
    }

    private void run(Apps apps, NatsServer nats, Connection nc) throws Exception {
        int gatewayPort = Apps.freePort();
        int clientPort = Apps.freePort();
        var gatewayUrl = URI.create("http://127.0.0.1:" + gatewayPort);
        var clientUrl = URI.create("http://127.0.0.1:" + clientPort);

        var gateway = apps.start("gateway", "--nats", nats.url(), "--port", Integer.toString(gatewayPort));
        apps.awaitHttp(gateway, gatewayUrl.resolve("/health"), START); // 200 = connected and the stream is there
        // A reader's buffer large enough for the whole run: on 2 shared cores the test's own reader
        // may fall behind for a moment, and dropping for slow readers (tested in the client) is not
        // what this test is about; the hand-off from snapshot to live, end to end, is.
        var client = apps.start("client", "--nats", nats.url(), "--port", Integer.toString(clientPort),
                "--sse-buffer", Integer.toString(COUNT));
        apps.awaitHttp(client, clientUrl.resolve("/health"), START);

        // The reader connects before the load: it must see every anomaly exactly once, in order.
        var reader = SseReader.connected(clientUrl.resolve("/anomalies/stream"));
        long before = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();

        var sender = apps.start("sender", true, "--gateway", gatewayUrl.toString(), "--count", Integer.toString(COUNT),
                "--concurrency", "32", "--json", "--progress", "lines");
        assertThat(sender.process().waitFor(3, TimeUnit.MINUTES)).as("the sender finished").isTrue();
        assertThat(sender.process().exitValue()).as("the sender's exit status (0 = all acknowledged)").isZero();
        var summary = JSON.readTree(lastLine(sender.out()));
        long acknowledged = summary.get("acknowledged").asLong();
        assertThat(acknowledged).isEqualTo(COUNT);

        // 1. acknowledged == stored == read by the client
        long stored = nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount() - before;
        // (a measurement acknowledged as a duplicate on a retry is still one measurement, stored once)
        assertThat(stored).as("new messages in the stream").isEqualTo(acknowledged);
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(metric(clientUrl, "anomalyflow_client_messages_total")).isEqualTo(stored));

        // 2. the client's anomalies == the stored measurements at or below 20
        var reference = anomaliesInStream(nc, stored);
        assertThat(reference.size()).as("about one in five is an anomaly").isBetween(COUNT / 10, COUNT * 3 / 10);
        var listed = JSON.readTree(get(clientUrl.resolve("/anomalies?limit=10000")));
        var fromClient = new TreeMap<Long, String>();
        for (var a : listed) {
            fromClient.put(a.get("seq").asLong(), key(a));
        }
        assertThat(fromClient.keySet()).as("seqs of the client's anomalies").containsExactlyElementsOf(reference.keySet());
        assertThat(fromClient).isEqualTo(reference);

        // 3. the early SSE reader got each one once, in seq order
        await().atMost(SETTLE).until(() -> reader.events().size() >= reference.size() || reader.failure() != null);
        assertThat(reader.failure()).isNull();
        assertThat(metric(clientUrl, "anomalyflow_client_sse_dropped_total")).isZero();
        var events = reader.events();
        assertThat(events).extracting(SseReader.Event::id).containsExactlyElementsOf(reference.keySet());
        for (var e : events) {
            assertThat(key(JSON.readTree(e.data()))).isEqualTo(reference.get(e.id()));
        }
        reader.close();
    }

    /** Reads the stream from its first message and keeps the anomalies: seq → "deviceId value". */
    private static Map<Long, String> anomaliesInStream(Connection nc, long expected) throws Exception {
        var anomalies = new TreeMap<Long, String>();
        var consumer = nc.getStreamContext(STREAM).createOrderedConsumer(
                new OrderedConsumerConfiguration().deliverPolicy(DeliverPolicy.All));
        long read = 0;
        try (var messages = consumer.iterate()) {
            while (read < expected) {
                var m = messages.nextMessage(Duration.ofSeconds(10));
                assertThat(m).as("message %d of %d from the stream", read + 1, expected).isNotNull();
                read++;
                var json = JSON.readTree(new String(m.getData(), StandardCharsets.UTF_8));
                if (json.get("measurementValue").decimalValue().compareTo(THRESHOLD) <= 0) {
                    anomalies.put(m.metaData().streamSequence(), key(json));
                }
            }
        }
        return anomalies;
    }

    /** What identifies an anomaly's content: device and value (numerically: 12.5 and 12.50 agree). */
    private static String key(JsonNode measurementOrAnomaly) {
        return measurementOrAnomaly.get("deviceId").asText() + " "
                + measurementOrAnomaly.get("measurementValue").decimalValue().stripTrailingZeros().toPlainString();
    }

    private long metric(URI base, String name) throws Exception {
        for (var line : get(base.resolve("/metrics")).split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError("no " + name + " in " + base + "/metrics");
    }

    private String get(URI url) throws Exception {
        var r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    private static String lastLine(Path file) throws Exception {
        try (Stream<String> lines = Files.lines(file)) {
            List<String> all = new ArrayList<>(lines.filter(l -> !l.isBlank()).toList());
            assertThat(all).as("the sender's stdout").isNotEmpty();
            return all.get(all.size() - 1);
        }
    }
}
