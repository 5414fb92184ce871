package io.anomalyflow.app;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Objects;

/**
 * A token in front of some handlers, for callers that can send a header ({@code curl}, scripts) and
 * for browsers whose {@code EventSource} cannot: a request passes with {@code Authorization: Bearer
 * <token>} or with the cookie of a session opened by {@code POST /session}.
 *
 * <ul>
 *   <li>{@link #protect}: {@code 401} with {@code WWW-Authenticate: Bearer} and a JSON body naming the
 *       problem (no credentials, a wrong token, an unknown or expired session) unless one of the two
 *       passes;</li>
 *   <li>{@link #openSession} ({@code POST /session}): with the right bearer token, a new session whose
 *       random id (never the token) goes back in a cookie that is {@code HttpOnly} (no script reads
 *       it), {@code SameSite=Strict} (no other site's page sends it), {@code Path=/}, {@code Secure}
 *       over HTTPS, and lives as long as the session;</li>
 *   <li>{@link #sessionStatus} ({@code GET /session}, open): whether a token is needed and whether
 *       this request's cookie is a live session, so a page knows whether to ask;</li>
 *   <li>{@link #closeSession} ({@code DELETE /session}): ends it and clears the cookie.</li>
 * </ul>
 * Without a token every request passes. Thread-safe.
 */
public final class TokenGate {
    /** The cookie's name over plain HTTP. */
    public static final String COOKIE = "anomalyflow_session";
    /** Over HTTPS: the {@code __Host-} prefix makes browsers refuse it unless Secure, Path=/ and host-only. */
    public static final String SECURE_COOKIE = "__Host-" + COOKIE;
    private static final int MAX_COOKIE_HEADER = 8192;

    private final BearerAuth auth;
    private final Sessions sessions;
    private final boolean secure;
    private final String cookie;

    private TokenGate(BearerAuth auth, Sessions sessions, boolean secure) {
        this.auth = auth;
        this.sessions = sessions;
        this.secure = secure;
        this.cookie = secure ? SECURE_COOKIE : COOKIE;
    }

    /** A gate checking {@code auth}, opening sessions in {@code sessions}; {@code secure} when served over HTTPS. */
    public static TokenGate create(BearerAuth auth, Sessions sessions, boolean secure) {
        return new TokenGate(Objects.requireNonNull(auth, "auth"), Objects.requireNonNull(sessions, "sessions"), secure);
    }

    /** Whether a token is needed at all. */
    public boolean required() {
        return auth.required();
    }

    /** {@code next} behind the gate. */
    public HttpHandler protect(HttpHandler next) {
        Objects.requireNonNull(next, "next");
        if (!auth.required()) {
            return next;
        }
        return exchange -> {
            var problem = problem(exchange.getRequestHeaders());
            if (problem != null) {
                BearerAuth.challenge(exchange, problem);
            } else {
                next.handle(exchange);
            }
        };
    }

    /** {@code POST /session}: see the class. */
    public void openSession(HttpExchange exchange) throws IOException {
        if (!auth.required()) {
            Responses.json(exchange, 200, "{\"required\":false,\"session\":false}");
            return;
        }
        var problem = auth.problem(exchange.getRequestHeaders());
        if (problem != null) {
            BearerAuth.challenge(exchange, problem + " (POST /session wants Authorization: Bearer <token>)");
            return;
        }
        long maxAge = sessions.lifetime().toSeconds();
        exchange.getResponseHeaders().add("Set-Cookie", cookie + "=" + sessions.open() + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Responses.json(exchange, 200, "{\"required\":true,\"session\":true,\"maxAgeSeconds\":" + maxAge + "}");
    }

    /** {@code GET /session}: see the class. */
    public void sessionStatus(HttpExchange exchange) throws IOException {
        boolean live = auth.required() && sessions.valid(sessionId(exchange.getRequestHeaders()));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Responses.json(exchange, 200, "{\"required\":" + auth.required() + ",\"session\":" + live + "}");
    }

    /** {@code DELETE /session}: see the class. */
    public void closeSession(HttpExchange exchange) throws IOException {
        sessions.close(sessionId(exchange.getRequestHeaders()));
        exchange.getResponseHeaders().add("Set-Cookie", cookie + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
        Responses.json(exchange, 200, "{\"required\":" + auth.required() + ",\"session\":false}");
    }

    /** Why the request may not pass, or {@code null}. A bearer header, when there is one, is what counts. */
    String problem(Headers headers) {
        if (headers.containsKey("Authorization")) {
            return auth.problem(headers);
        }
        var id = sessionId(headers);
        if (id != null) {
            return sessions.valid(id) ? null
                    : "the session is unknown or expired: POST /session with Authorization: Bearer <token> again";
        }
        return "this needs the client's token: send Authorization: Bearer <token>, or POST /session with it "
                + "for a session cookie (the page asks for the token)";
    }

    /** The value of our cookie among the request's {@code Cookie} headers, or {@code null}. */
    private String sessionId(Headers headers) {
        var values = headers.get("Cookie");
        if (values == null) {
            return null;
        }
        int seen = 0;
        for (var header : values) {
            seen += header.length();
            if (seen > MAX_COOKIE_HEADER) {
                return null; // not ours to parse at any length: it cannot hold a valid session then
            }
            for (var pair : header.split(";")) {
                var p = pair.strip();
                if (p.length() > cookie.length() && p.startsWith(cookie) && p.charAt(cookie.length()) == '=') {
                    return p.substring(cookie.length() + 1);
                }
            }
        }
        return null;
    }
}
