package io.anomalyflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/** Small HTTP helpers for the client's tests: GET with the JDK client, JSON through Jackson. */
final class Http implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(URI base, String pathAndQuery) throws IOException, InterruptedException {
        return get(base.resolve(pathAndQuery));
    }

    /** {@code GET /anomalies…}: the seqs listed, in the order listed; fails unless 200. */
    List<Long> seqs(URI base, String pathAndQuery) throws IOException, InterruptedException {
        var seqs = new ArrayList<Long>();
        for (var node : json(base, pathAndQuery)) {
            seqs.add(node.get("seq").asLong());
        }
        return seqs;
    }

    JsonNode json(URI base, String pathAndQuery) throws IOException, InterruptedException {
        var response = get(base, pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " → " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    /** The value of one sample line of {@code /metrics}, e.g. {@code anomalyflow_client_sse_readers}. */
    double metric(URI base, String name) throws IOException, InterruptedException {
        var body = get(base, "/metrics").body();
        for (var line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("metric " + name + " not in /metrics:\n" + body);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
