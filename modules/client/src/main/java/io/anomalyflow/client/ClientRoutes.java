package io.anomalyflow.client;

import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.BearerAuth;
import io.anomalyflow.app.Router;
import io.anomalyflow.app.Sessions;
import io.anomalyflow.app.TokenGate;
import java.time.Duration;

/**
 * The client's paths and who may read them. With a {@code --token}, the anomalies, their streams and
 * the workshop's aliases ask for it, as a bearer header or through the session cookie a browser gets
 * from {@code POST /session} (an {@code EventSource} cannot send headers); {@code /metrics} asks for
 * the {@code --metrics-token} (the same token unless told otherwise) as a bearer header only, since
 * scrapers send headers; {@code /health}, {@code /session} and the page's files stay open, so a
 * load balancer can probe and a browser can load the page that asks for the token. The streams are
 * capped in number ({@link StreamSlots}).
 */
final class ClientRoutes {
    /** How long a browser's session lasts before the page asks for the token again. */
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** Sessions held at once; more push out the oldest (each is a few dozen bytes). */
    static final int MAX_SESSIONS = 10_000;

    private ClientRoutes() {
    }

    static Router.Builder routes(ClientConfig config, HttpHandler list, StreamHandler streams, HttpHandler health,
            HttpHandler metrics) {
        var gate = TokenGate.create(BearerAuth.of(config.token()),
                Sessions.create(SESSION_LIFETIME, MAX_SESSIONS, config.clock()), config.access().https());
        // the token first: a stranger's request never takes a stream slot
        var limited = gate.protect(new StreamSlots(config.maxStreams(), config.maxStreamsPerClient()).guard(streams));
        var router = Router.builder()
                .get("/anomalies", gate.protect(list))
                .get("/anomalies/stream", limited)
                .get("/anomalytracker/anomalies", limited)
                .get(StreamHandler.DEVICE_ALIAS, limited)
                .get("/session", gate::sessionStatus)
                .post("/session", gate::openSession)
                .route("DELETE", "/session", gate::closeSession)
                .get("/health", health)
                .get("/metrics", BearerAuth.of(config.metricsToken()).guard(metrics));
        PageHandler.all().forEach(router::get);
        return router;
    }
}
