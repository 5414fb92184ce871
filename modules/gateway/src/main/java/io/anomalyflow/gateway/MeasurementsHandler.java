package io.anomalyflow.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.BearerAuth;
import io.anomalyflow.app.BodyReader;
import io.anomalyflow.app.Responses;
import io.anomalyflow.app.Units;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /measurements}. The checks run cheapest first, and everything that can be refused
 * before the body is read is refused before it is read (with the body discarded, bounded, so the
 * client can read the reply):
 *
 * <ol>
 *   <li>401 without the right bearer token (when one is configured);</li>
 *   <li>503 + {@code Retry-After} when {@code maxConcurrentRequests} are already in progress;</li>
 *   <li>415 for a content type other than JSON / NDJSON, a non-UTF-8 charset, or a compressed body;</li>
 *   <li>413 for a body over {@code maxBodyBytes}; 408 when it does not arrive within {@code readTimeout};</li>
 *   <li>400 when it does not decode or validate (the message names the field and, in a batch, the
 *       line); 413 for a batch longer than {@code maxBatch};</li>
 *   <li>then it is published and the reply waits for JetStream's acks: 200, or 503 + {@code Retry-After}.</li>
 * </ol>
 * A 5xx is only ever about NATS or the gateway itself, never about what the caller sent.
 */
final class MeasurementsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MeasurementsHandler.class);

    private final GatewayConfig config;
    private final BearerAuth auth;
    private final Semaphore permits;
    private final BodyReader reader;
    private final EventCodec codec;
    private final MeasurementWriter writer;
    private final String retryAfterSeconds;

    MeasurementsHandler(GatewayConfig config, EventCodec codec, MeasurementWriter writer) {
        this.config = config;
        this.auth = BearerAuth.of(config.token());
        this.permits = new Semaphore(config.maxConcurrentRequests());
        this.reader = BodyReader.create(config.maxBodyBytes(), config.readTimeout());
        this.codec = codec;
        this.writer = writer;
        this.retryAfterSeconds = Long.toString((config.retryAfter().toMillis() + 999) / 1000);
    }

    /** POST requests being handled now (for the in-flight gauge). */
    int inFlight() {
        return config.maxConcurrentRequests() - permits.availablePermits();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!auth.allows(exchange.getRequestHeaders())) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"anomalyflow\"");
            reader.reject(exchange, 401, "missing or wrong bearer token: send Authorization: Bearer <token>");
            return;
        }
        if (!permits.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", retryAfterSeconds);
            reader.reject(exchange, 503, "the gateway is handling " + config.maxConcurrentRequests()
                    + " requests already; retry after " + retryAfterSeconds + " s");
            return;
        }
        // Released once: by the 408 path (which may run long before this thread gets out of a
        // stuck read) or at the end of this method, whichever comes first.
        var held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.getAndSet(false)) {
                permits.release();
            }
        };
        try {
            Payload.Format format;
            try {
                format = Payload.format(exchange.getRequestHeaders());
            } catch (Rejection r) {
                reader.reject(exchange, r.status(), r.getMessage());
                return;
            }
            switch (reader.read(exchange, release)) {
                case BodyReader.Body.TimedOut t -> { }
                case BodyReader.Body.TooLarge t -> reader.reject(exchange, 413, "body over the limit of "
                        + Units.formatSize(t.limit()) + " (" + t.limit() + " bytes); send smaller batches");
                case BodyReader.Body.Unreadable u -> reader.reject(exchange, 400, "could not read the request body: " + u.reason());
                case BodyReader.Body.Complete c -> ingest(exchange, format, c.bytes());
            }
        } finally {
            release.run();
        }
    }

    private void ingest(HttpExchange exchange, Payload.Format format, byte[] body) throws IOException {
        Payload payload;
        try {
            payload = Payload.decode(codec, format, body);
        } catch (InvalidEventException e) {
            Responses.error(exchange, 400, e.getMessage());
            return;
        } catch (Rejection r) {
            Responses.error(exchange, r.status(), r.getMessage());
            return;
        } catch (RuntimeException e) {
            // Any other decoder failure is still about the caller's bytes (never a 500 for something
            // the caller sent); logged, since it points at a gap in the codec.
            LOG.warn("unexpected decoder failure on a {}-byte body, answered 400", body.length, e);
            Responses.error(exchange, 400, "malformed body: " + e.getMessage());
            return;
        }
        try {
            Responses.json(exchange, 200, publish(payload));
        } catch (Rejection r) {
            if (r.status() == 503) {
                exchange.getResponseHeaders().set("Retry-After", retryAfterSeconds);
            }
            Responses.error(exchange, r.status(), r.getMessage());
        }
    }

    /** Publishes and returns the JSON reply, built from the acks. */
    private String publish(Payload payload) throws Rejection {
        return switch (payload) {
            case Payload.Single s -> {
                var stored = writer.write(writer.stamped(s.measurement()));
                yield "{\"seq\":" + stored.seq() + ",\"duplicate\":" + stored.duplicate() + "}";
            }
            case Payload.Batch b -> {
                if (b.measurements().size() > config.maxBatch()) {
                    throw new Rejection(413, "batch of " + b.measurements().size()
                            + " measurements is over the limit of " + config.maxBatch() + "; split it");
                }
                var stamped = new ArrayList<Measurement>(b.measurements().size());
                b.measurements().forEach(m -> stamped.add(writer.stamped(m)));
                var s = writer.writeAll(stamped);
                yield "{\"accepted\":" + (s.acknowledged() - s.duplicates()) + ",\"duplicates\":" + s.duplicates()
                        + ",\"firstSeq\":" + s.firstSeq() + ",\"lastSeq\":" + s.lastSeq() + "}";
            }
        };
    }
}
