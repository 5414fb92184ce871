package io.anomalyflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Options;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link ScaledOutTest} reads back, each with its own client: the streams and the detectors'
 * group through jnats, the apps' lists and metrics over HTTP. The rule is the apps' default, a value
 * at or below 20 is an anomaly, applied here to the stored JSON independently of the apps.
 */
final class ScaledOut {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal THRESHOLD = BigDecimal.valueOf(20);

    private ScaledOut() {
    }

    /** Connection options for a comma-separated list of server URLs. */
    static Options options(String urls) {
        return Options.builder().servers(urls.split(",")).connectionName("e2e-ledger").maxReconnects(-1).build();
    }

    /** Waits until JetStream answers: the cluster's meta leader is elected a few seconds after the nodes are up. */
    static void awaitJetStream(Connection nc, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                nc.jetStreamManagement().getAccountStatistics();
                return;
            } catch (IOException | JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("JetStream not ready within " + timeout, e);
                }
                Thread.sleep(250);
            }
        }
    }

    static long messages(Connection nc, String stream) throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
    }

    /** Whether the group's durable consumer has handed out every measurement and got every ack back. */
    static boolean groupDone(Connection nc, String group) throws IOException, JetStreamApiException {
        var info = nc.jetStreamManagement().getConsumerInfo("MEASUREMENTS", group);
        return info.getNumPending() == 0 && info.getNumAckPending() == 0;
    }

    /** The rule, on a stored measurement's JSON. */
    static boolean isAnomaly(byte[] measurement) {
        try {
            return JSON.readTree(measurement).get("measurementValue").decimalValue().compareTo(THRESHOLD) <= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The anomalies among the first {@code expected} measurements stored: seq → "deviceId value". */
    static Map<Long, String> anomaliesInStream(Connection nc, long expected) throws Exception {
        var all = AnomalyLedger.readAll(nc, "MEASUREMENTS");
        assertThat(all).hasSize((int) expected);
        var anomalies = new TreeMap<Long, String>();
        for (var m : all) {
            if (isAnomaly(m.getData())) {
                anomalies.put(m.metaData().streamSequence(), key(JSON.readTree(m.getData())));
            }
        }
        return anomalies;
    }

    /** What identifies an anomaly's content: device and value (numerically: 12.5 and 12.50 agree). */
    static String key(JsonNode measurementOrAnomaly) {
        return measurementOrAnomaly.get("deviceId").asText() + " "
                + measurementOrAnomaly.get("measurementValue").decimalValue().stripTrailingZeros().toPlainString();
    }

    /** A client's {@code GET /anomalies}, as seq → row. */
    static Map<Long, JsonNode> listed(HttpClient http, URI client) throws Exception {
        var rows = new TreeMap<Long, JsonNode>();
        for (var row : JSON.readTree(get(http, client.resolve("/anomalies?limit=10000")))) {
            rows.put(row.get("seq").asLong(), row);
        }
        return rows;
    }

    /** The value of an unlabelled metric in an app's {@code /metrics}. */
    static long metric(HttpClient http, URI app, String name) throws Exception {
        for (var line : get(http, app.resolve("/metrics")).split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError("no " + name + " in " + app + "/metrics");
    }

    private static String get(HttpClient http, URI url) throws Exception {
        var r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }
}
