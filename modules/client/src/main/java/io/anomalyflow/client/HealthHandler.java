package io.anomalyflow.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;

import java.io.IOException;
import java.util.Locale;

/**
 * {@code GET /health}: {@code 200} while the client is connected to NATS and reading its stream,
 * else {@code 503}; the small JSON body says which and why, e.g.
 * {@code {"status":"ok","phase":"reading","reason":"reading stream MEASUREMENTS","stream":"MEASUREMENTS","lastSeq":42,"anomaliesInMap":7}}
 * or {@code {"status":"unavailable","phase":"waiting_for_stream","reason":"waiting for stream MEASUREMENTS (the gateway creates it)",…}}.
 * {@code stream} is the stream read (with {@code --source anomalies} the anomaly events'), and
 * {@code lastSeq} the sequence, in that stream, of the last message read. A client started with
 * {@link ClientParts} ({@code make workshop-run}) adds whose they are: {@code "workshopParts":"map=yours filter=ours …"}.
 */
final class HealthHandler implements HttpHandler {
    private final PipelineSupervisor supervisor;
    private final AnomalyPipeline pipeline;
    private final AnomalyStore store;
    private final ClientParts parts;

    /** @param parts whose parts to name in the body, or null to name none (a client started without parts) */
    HealthHandler(PipelineSupervisor supervisor, AnomalyPipeline pipeline, AnomalyStore store, ClientParts parts) {
        this.supervisor = supervisor;
        this.pipeline = pipeline;
        this.store = store;
        this.parts = parts;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        var health = supervisor.health();
        store.expire();
        var json = "{\"status\":" + Json.quote(health.ok() ? "ok" : "unavailable")
                + ",\"phase\":" + Json.quote(health.phase().name().toLowerCase(Locale.ROOT))
                + ",\"reason\":" + Json.quote(health.reason())
                + ",\"stream\":" + Json.quote(pipeline.stream())
                + ",\"lastSeq\":" + pipeline.position()
                + ",\"anomaliesInMap\":" + store.size()
                + (parts == null ? "" : ",\"workshopParts\":" + Json.quote(parts.describe())) + "}";
        if (!health.ok()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        Responses.json(exchange, health.ok() ? 200 : 503, json);
    }
}
