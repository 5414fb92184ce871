package io.anomalyflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A gateway on a free port in front of a test's {@link NatsServer}, an HTTP client, and a separate
 * NATS connection to look into the stream (its message count is the ground truth: "acked means stored").
 */
final class GatewayFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Gateway gateway;
    final HttpClient http;
    final Connection observer;
    final String stream;

    private GatewayFixture(Gateway gateway, Connection observer, String stream) {
        this.gateway = gateway;
        this.observer = observer;
        this.stream = stream;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** The config tests use: a free port, memory storage, then {@code args} (later ones win). */
    static GatewayConfig config(NatsServer nats, String... args) {
        var all = new ArrayList<>(List.of("--nats", nats.url(), "--port", "0", "--storage", "memory"));
        all.addAll(List.of(args));
        return GatewayConfig.parse(all, Map.of());
    }

    static GatewayFixture start(NatsServer nats, String... args) throws Exception {
        var config = config(nats, args);
        var gateway = Gateway.start(config);
        return new GatewayFixture(gateway, Nats.connect(nats.url()), config.stream().name());
    }

    HttpResponse<String> post(String contentType, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(gateway.url().resolve("/measurements")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String body) throws Exception {
        return post("application/json", body);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.url().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Messages in the stream now. */
    long stored() {
        try {
            return observer.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored message with sequence {@code seq}, as JSON. */
    JsonNode message(long seq) throws Exception {
        var m = observer.jetStreamManagement().getMessage(stream, seq);
        return JSON.readTree(m.getData());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static String measurement(String id, String deviceId, String value) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"deviceId\":\"" + deviceId + "\",\"measurementValue\":" + value + "}";
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        http.close();
        observer.close();
    }
}
