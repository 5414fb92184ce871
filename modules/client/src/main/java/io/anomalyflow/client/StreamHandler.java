package io.anomalyflow.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.Responses;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.OverflowPolicy;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.flow.sse.SseSubscriber;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The anomaly stream as Server-Sent Events: {@code GET /anomalies/stream?deviceId=}, and the
 * workshop's {@code /anomalytracker/anomalies} and {@code /anomalytracker/{deviceId}/anomalies}.
 *
 * <p>Each reader first gets the anomalies still in the map with a position above its
 * {@code Last-Event-ID} (0 when it has none), oldest first, then every new one, each once: the
 * replay is taken from the {@link AnomalyStore} under the hub's lock, where new anomalies are put
 * into the store and dispatched, so nothing falls between the two and nothing is in both (see
 * {@code HubOptions.replay}); it is a lazy view ({@link AnomalyStore#replayAfter}), so joining
 * costs the same whether the map holds ten anomalies or 100 000. Events are {@code id: <position>},
 * {@code event: anomaly}, {@code data: <anomaly JSON>}; a comment goes out when the stream was idle for
 * the heartbeat. The id is the {@link Detection#position() position}: the sequence of the message read
 * in the stream read, which always grows, while the JSON's {@code seq} (the measurement's) need not
 * with {@code --source anomalies}.
 *
 * <p>Each reader has its own bounded buffer of live anomalies that drops the oldest when the reader
 * falls behind (counted in {@code anomalyflow_client_sse_dropped_total}), so a slow reader slows
 * nobody else. The request's virtual thread writes the events ({@link SseSubscriber#run()}) and
 * holds the exchange until the reader leaves or the client closes.
 *
 * <p>The multicast, device filter, buffer and writer are ours unless {@link ClientParts} gives
 * others: then the reader's path is {@link PluggedReaders}' and another's writer runs through
 * {@link PluggedSse}, with the same no-gap, no-duplicate replay ({@link ReplayThenLive}).
 *
 * <p>Every stream this ends, it ends so that a browser's {@code EventSource} reconnects by itself
 * after the {@code retry:} interval: a {@code 200} whose body ends, or a refused connection once the
 * client stopped listening; never another status, which would make it give up for good.
 */
final class StreamHandler implements HttpHandler {
    /** {@code /anomalytracker/{deviceId}/anomalies}; the deviceId part is checked by {@link DeviceIds}. */
    static final Pattern DEVICE_ALIAS = Pattern.compile("/anomalytracker/([^/]+)/anomalies");
    private static final Set<String> PARAMETERS = Set.of("deviceId");
    /** Browsers reconnect after this when the stream ends (a restart of the reading). */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final AnomalyStore store;
    private final PipelineSupervisor supervisor;
    private final EventCodec codec;
    private final ClientMetrics metrics;
    private final int bufferSize;
    private final Duration heartbeat;
    private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();
    private final ClientParts parts;
    private final PluggedReaders plugged; // null unless the reader's path has a part not ours
    private volatile boolean closed;

    /** @param parts whose multicast, device filter, buffer and SSE writer serve the readers ({@link ClientParts}) */
    StreamHandler(AnomalyStore store, PipelineSupervisor supervisor, EventCodec codec, ClientMetrics metrics,
            int bufferSize, Duration heartbeat, ClientParts parts) {
        this.store = store;
        this.supervisor = supervisor;
        this.codec = codec;
        this.metrics = metrics;
        this.bufferSize = bufferSize;
        this.heartbeat = heartbeat;
        this.parts = parts;
        this.plugged = parts.readerPathPlugged() ? new PluggedReaders(parts, store, bufferSize) : null;
        // A cleared map means a re-created stream whose sequences start again at 1: the ids the open
        // readers hold name old messages, so their streams end with those ids cleared, and they
        // reconnect as new readers of the new stream.
        store.onClear(() -> open.forEach(s -> s.endClearingLastEventId().run()));
    }

    /** Items dropped by the readers' buffers of ours outside the hub (with a part not ours in the path). */
    long droppedOutsideHub() {
        return plugged == null ? 0 : plugged.droppedTotal();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String deviceId;
        long afterPosition;
        try {
            deviceId = deviceId(exchange);
            afterPosition = lastEventId(exchange);
        } catch (QueryParams.BadQueryException e) {
            Responses.error(exchange, 400, e.getMessage());
            return;
        }
        if (closed) {
            // 200, retry: and an ended stream, so an EventSource comes back by itself with its
            // Last-Event-ID; any other status would make it give up for good.
            var sse = SseSubscriber.<Detection>builder(exchange, this::event).heartbeat(heartbeat).retry(RETRY).build();
            sse.close();
            sse.run();
            return;
        }
        var stream = parts.sse() == null ? ours(exchange) : plugged(exchange);
        open.add(stream); // from here on a clear or close() ends it: what is worked out below may be stale then
        metrics.sseReaders().incrementAndGet();
        try {
            var hub = supervisor.hub();
            // Live anomalies up to the reader's Last-Event-ID are the reader's already, and they do
            // come live again: a restarted client re-detects the stream from its start while it
            // rebuilds the map. An id beyond all the stream holds is one of a stream since
            // re-created: start afresh.
            long seen = afterPosition != 0 && afterPosition <= supervisor.lastSeqKnown(afterPosition) ? afterPosition : 0;
            Flow.Publisher<Detection> detections;
            if (plugged != null) {
                detections = plugged.reader(hub, seen, deviceId);
            } else {
                var replayed = hub.options()
                        .bufferSize(bufferSize)
                        .overflow(OverflowPolicy.DROP_OLDEST)
                        .replay(() -> store.replayAfter(seen, deviceId));
                // a filter gives the reader a buffer of its own; without one (every device, nothing
                // seen: a first visit) it reads the hub's shared ring, which costs it a cursor
                var options = seen != 0 || deviceId != null
                        ? replayed.filter(d -> d.position() > seen && (deviceId == null || deviceId.equals(d.deviceId())))
                        : replayed;
                detections = subscriber -> hub.subscribe(subscriber, options);
            }
            stream.subscribeTo().accept(detections);
            if (closed) {
                stream.end().run(); // close() ran between the check above and add(): it did not see this one
            }
            stream.write().run(); // returns when the reader left, the hub ended, or close() was called
        } finally {
            metrics.sseReaders().decrementAndGet();
            open.remove(stream);
        }
    }

    /**
     * One open SSE response, whichever writer writes it.
     *
     * @param subscribeTo subscribes the writer to the reader's detections
     * @param write       writes until the stream ends (on the request's thread)
     * @param end         ends the stream: the reader reconnects with its Last-Event-ID
     * @param endClearingLastEventId ends it so that the reader reconnects without (a re-created stream)
     */
    private record OpenStream(Consumer<Flow.Publisher<Detection>> subscribeTo, Runnable write, Runnable end,
            Runnable endClearingLastEventId) {
    }

    /** Our writer: {@link SseSubscriber}, with heartbeats and the {@code retry:} interval. */
    private OpenStream ours(HttpExchange exchange) {
        var sse = SseSubscriber.<Detection>builder(exchange, this::event).heartbeat(heartbeat).retry(RETRY).build();
        return new OpenStream(detections -> detections.subscribe(sse), sse::run, sse::close, sse::closeClearingLastEventId);
    }

    /**
     * Another's writer ({@link ClientParts#sse()}), on this request's thread ({@link PluggedSse}). It
     * knows no heartbeat, no {@code retry:} line and no way to clear the reader's Last-Event-ID: a
     * browser reconnects after its own default delay, with its id (which a re-created stream's replay
     * then ignores, as it does any id beyond the stream).
     */
    private OpenStream plugged(HttpExchange exchange) {
        var sse = new PluggedSse(parts.sse().open(exchange));
        return new OpenStream(detections -> Flows.map(detections, this::event).subscribe(sse), sse::run, sse::close,
                sse::close);
    }

    /**
     * Ends every open stream (their handlers then return); a stream asked for from now on is ended
     * at once, after its {@code retry:} line, so its reader tries again later.
     */
    void close() {
        closed = true;
        endStreams();
    }

    /** Ends every open stream; each reader reconnects after {@link #RETRY} with its {@code Last-Event-ID}. */
    private void endStreams() {
        open.forEach(s -> s.end().run());
    }

    private SseEvent event(Detection d) {
        return SseEvent.of(Long.toString(d.position()), "anomaly", codec.toJson(d.anomaly()));
    }

    /** From the alias path {@code /anomalytracker/{deviceId}/anomalies} or the query; null for all devices. */
    private static String deviceId(HttpExchange exchange) throws QueryParams.BadQueryException {
        var query = QueryParams.parse(exchange.getRequestURI().getRawQuery(), PARAMETERS);
        var alias = DEVICE_ALIAS.matcher(exchange.getRequestURI().getRawPath());
        if (!alias.matches()) {
            return DeviceIds.checked(query.get("deviceId"));
        }
        if (query.get("deviceId").isPresent()) {
            throw new QueryParams.BadQueryException("deviceId: given both in the path and in the query");
        }
        return DeviceIds.checked(Optional.of(alias.group(1))); // raw: a valid deviceId has nothing to decode
    }

    /** The {@code Last-Event-ID} header: the last position the reader got; 0 (everything) when absent. */
    private static long lastEventId(HttpExchange exchange) throws QueryParams.BadQueryException {
        var value = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(value.strip());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new QueryParams.BadQueryException("Last-Event-ID: must be an event id this stream sent (a stream sequence), got "
                    + QueryParams.quote(value));
        }
    }
}
