package io.anomalyflow.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.Responses;
import io.anomalyflow.events.EventCodec;

import java.io.IOException;
import java.util.Set;

/**
 * {@code GET /anomalies?deviceId=&limit=}: the anomalies still in the map, newest first, as a JSON
 * array of anomaly objects (the wire contract's). {@code limit} defaults to {@value #DEFAULT_LIMIT} and may be
 * 1–{@value #MAX_LIMIT}; a bad {@code limit} or {@code deviceId}, or an unknown parameter, is a 400
 * whose message names it. An unknown (valid) device simply has no anomalies: {@code []}.
 */
final class AnomaliesHandler implements HttpHandler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> PARAMETERS = Set.of("deviceId", "limit");

    private final AnomalyStore store;
    private final EventCodec codec;

    AnomaliesHandler(AnomalyStore store, EventCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String deviceId;
        int limit;
        try {
            var query = QueryParams.parse(exchange.getRequestURI().getRawQuery(), PARAMETERS);
            deviceId = DeviceIds.checked(query.get("deviceId"));
            limit = query.intValue("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        } catch (QueryParams.BadQueryException e) {
            Responses.error(exchange, 400, e.getMessage());
            return;
        }
        var anomalies = store.newest(deviceId, limit);
        var json = new StringBuilder(64 + anomalies.size() * 128).append('[');
        for (int i = 0; i < anomalies.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(codec.toJson(anomalies.get(i).anomaly()));
        }
        Responses.json(exchange, 200, json.append(']').toString());
    }
}
