package io.anomalyflow.sender;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A real {@link HttpServer} on a free loopback port that answers {@code POST /measurements} the way
 * the gateway's contract says ({@code docs/architecture.md}): {@code {"seq":N,"duplicate":…}} for one
 * measurement, {@code {"accepted":N,"duplicates":D,…}} for NDJSON, duplicates recognised by id.
 * A {@link Behaviour} can make any request answer something else (503 + Retry-After, 400, a dropped
 * connection) so tests can provoke each case. It records what a test needs to check: every id it
 * stored and how often it saw it, and the highest number of requests it held at once.
 */
final class FakeGateway implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    /** Decides the answer to one request; {@code null} means "answer like the gateway". */
    @FunctionalInterface
    interface Behaviour {
        Reply reply(int requestNumber, List<String> ids, Map<String, Integer> timesSeen);
    }

    /** A scripted answer; {@link #DROP} closes the connection without any response. */
    record Reply(int status, String body, String retryAfter) {
        static final Reply DROP = new Reply(-1, null, null);
        /** Stores the measurements, then drops the connection: the sender never hears the ack. */
        static final Reply STORE_THEN_DROP = new Reply(-2, null, null);

        static Reply unavailable(String retryAfter) {
            return new Reply(503, "{\"error\":\"NATS did not acknowledge in time\"}", retryAfter);
        }

        static Reply badRequest(String error) {
            return new Reply(400, "{\"error\":\"" + error + "\"}", null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final List<String> contentTypes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final long holdMillis;
    private volatile Behaviour behaviour = (n, ids, timesSeen) -> null;

    private FakeGateway(long holdMillis, InetAddress bind, javax.net.ssl.SSLContext tls) throws IOException {
        this.holdMillis = holdMillis;
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress(bind, 0), 0);
        } else {
            var https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(bind, 0), 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fake gateway that holds each request {@code holdMillis} before answering (so concurrency shows). */
    static FakeGateway start(long holdMillis) throws IOException {
        return new FakeGateway(holdMillis, InetAddress.getLoopbackAddress(), null);
    }

    /** A fake gateway speaking HTTPS with {@code tls} on {@code bind}; {@link #url()} then names {@code localhost}. */
    static FakeGateway startHttps(InetAddress bind, javax.net.ssl.SSLContext tls) throws IOException {
        return new FakeGateway(0, bind, tls);
    }

    FakeGateway behave(Behaviour b) {
        this.behaviour = b;
        return this;
    }

    URI url() {
        if (server instanceof com.sun.net.httpserver.HttpsServer) {
            return URI.create("https://localhost:" + server.getAddress().getPort());
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How often each id arrived (retries included). */
    Map<String, Integer> seen() {
        return Map.copyOf(seen);
    }

    /** Ids acknowledged (stored once each), with their seq. */
    Map<String, Long> stored() {
        return Map.copyOf(stored);
    }

    int requests() {
        return requests.get();
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        // "in flight" = arrived and not yet answered: counted down just before the reply goes out,
        // since the client may send its next request as soon as it has read this reply
        boolean counted = true;
        int now = current.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try (exchange) {
            int number = requests.incrementAndGet();
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            var ids = new ArrayList<String>();
            var m = ID.matcher(body);
            while (m.find()) {
                ids.add(m.group(1));
            }
            ids.forEach(id -> seen.merge(id, 1, Integer::sum));
            if (holdMillis > 0) {
                Thread.sleep(holdMillis);
            }
            Reply reply;
            if (!"POST".equals(exchange.getRequestMethod()) || !"/measurements".equals(exchange.getRequestURI().getPath())) {
                reply = new Reply(404, "{\"error\":\"no such path\"}", null);
            } else {
                var scripted = behaviour.reply(number, List.copyOf(ids), Map.copyOf(seen));
                boolean batch = "application/x-ndjson".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
                if (scripted == Reply.STORE_THEN_DROP) {
                    store(ids, batch);
                    reply = Reply.DROP;
                } else {
                    reply = scripted != null ? scripted : store(ids, batch);
                }
            }
            current.decrementAndGet();
            counted = false;
            if (reply != Reply.DROP) {
                send(exchange, reply); // (a DROP closes the exchange without a response: the connection drops)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                current.decrementAndGet();
            }
        }
    }

    private synchronized Reply store(List<String> ids, boolean batch) { // one at a time, like a stream
        long first = -1;
        long last = -1;
        int dupes = 0;
        for (var id : ids) {
            var before = stored.putIfAbsent(id, seq.get() + 1);
            if (before == null) {
                last = seq.incrementAndGet();
            } else {
                last = before;
                dupes++;
            }
            first = first < 0 ? last : first;
        }
        if (!batch) {
            return new Reply(200, "{\"seq\":" + last + ",\"duplicate\":" + (dupes > 0) + "}", null);
        }
        return new Reply(200, "{\"accepted\":" + ids.size() + ",\"duplicates\":" + dupes
                + ",\"firstSeq\":" + first + ",\"lastSeq\":" + last + "}", null);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
