package io.anomalyflow.reliability;

import io.anomalyflow.testsupport.SseReader;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonFactory;
import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the tests ask the apps over HTTP: a status, a Prometheus metric, the client's anomalies.
 * Stateless; every request has a timeout.
 */
final class Probes {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int LIST_LIMIT = 10_000;

    private Probes() {
    }

    static HttpResponse<String> get(HttpClient http, URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of {@code GET url}, or 0 when nothing answers. */
    static int status(HttpClient http, URI url) throws InterruptedException {
        try {
            return get(http, url).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The sum of every sample of metric {@code name} (all label sets) on {@code base/metrics}; a
     * metric that is not there is an error, not a zero.
     */
    static double metric(HttpClient http, URI base, String name) throws IOException, InterruptedException {
        var text = get(http, base.resolve("/metrics")).body();
        double sum = 0;
        boolean found = false;
        for (var line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            var rest = line.substring(name.length());
            if (rest.startsWith(" ") || rest.startsWith("{")) {
                sum += Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no metric " + name + " on " + base + "/metrics:\n" + text);
        }
        return sum;
    }

    /**
     * The client's anomalies, seq → anomaly: {@code GET /anomalies?limit=10000}, and when that page is
     * full, device by device ({@code dev-0 … dev-(devices-1)}, the load's devices), so more than a
     * page over all devices is still read whole. Fails when a device alone fills a page.
     */
    static Map<Long, Anomaly> anomalies(HttpClient http, URI client, int devices) throws IOException, InterruptedException {
        var all = page(http, client.resolve("/anomalies?limit=" + LIST_LIMIT));
        if (all.size() < LIST_LIMIT) {
            return all;
        }
        all.clear();
        for (int d = 0; d < devices; d++) {
            var url = client.resolve("/anomalies?deviceId=dev-" + d + "&limit=" + LIST_LIMIT);
            var some = page(http, url);
            if (some.size() >= LIST_LIMIT) {
                throw new AssertionError(url + " is full (" + some.size() + "): use fewer anomalies per device");
            }
            all.putAll(some);
        }
        return all;
    }

    private static Map<Long, Anomaly> page(HttpClient http, URI url) throws IOException, InterruptedException {
        var codec = EventCodec.create();
        var page = new TreeMap<Long, Anomaly>();
        var response = get(http, url);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        for (var item : items(response.body().getBytes(StandardCharsets.UTF_8))) {
            try {
                var a = codec.decodeAnomaly(item);
                if (page.put(a.seq(), a) != null) {
                    throw new AssertionError("seq " + a.seq() + " listed twice by " + url);
                }
            } catch (InvalidEventException e) {
                throw new AssertionError("the client listed something that is not an anomaly: "
                        + new String(item, StandardCharsets.UTF_8), e);
            }
        }
        return page;
    }

    /**
     * The objects of a JSON array, each as its exact bytes: re-serializing a parsed tree would rewrite
     * numbers ({@code 5.00} would come back as {@code 5.0} or {@code 5}), and the check compares values
     * exactly as the client wrote them.
     */
    static List<byte[]> items(byte[] array) throws IOException {
        var items = new ArrayList<byte[]>();
        try (JsonParser p = JSON.createParser(array)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new AssertionError("not a JSON array: " + new String(array, StandardCharsets.UTF_8));
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int from = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int to = (int) p.currentLocation().getByteOffset();
                items.add(Arrays.copyOfRange(array, from, to));
            }
        }
        return items;
    }

    /** The anomaly an SSE event carries. */
    static Anomaly anomaly(SseReader.Event event) {
        try {
            return EventCodec.create().decodeAnomaly(event.data().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            throw new AssertionError("SSE event " + event.id() + " is not an anomaly: " + event.data(), e);
        }
    }
}
