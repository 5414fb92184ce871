package io.anomalyflow.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.OutgoingMessage;
import io.nats.client.JetStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP baselines, each in its own JVM like the gateway, on the JDK {@code HttpServer} with a
 * virtual-thread executor and the gateway's accept backlog (1024):
 * <pre>
 * BaselineServer trivial --port P
 * BaselineServer naive   --port P --nats URL --stream S --subject s
 * BaselineServer appender --port P --nats URL --stream S --subject s
 * </pre>
 * <ul>
 *   <li>{@code trivial}: {@code POST /measurements} reads the body and answers 200 — the most any
 *       handler on this server can do here. {@code GET /idle} is the hand-written floor of an idle
 *       SSE reader: headers, one comment, then the handler's virtual thread waits; {@code POST
 *       /broadcast} wakes every waiting handler, which writes one event and flushes.</li>
 *   <li>{@code naive}: {@code POST /measurements} publishes the body with a synchronous
 *       {@code js.publish} and answers with the sequence once JetStream acknowledged it — the
 *       gateway written the obvious way.</li>
 *   <li>{@code appender}: the same with the gateway's own publishing path, a shared
 *       {@link JetStreamAppender} (1024 in flight, 2 s ack timeout) — no parsing, no app-support
 *       plumbing: it splits the gateway's cost per request into "HTTP + publish" and the rest
 *       ({@code --only breakdown}).</li>
 * </ul>
 * Both answer {@code GET /health} with 200. Neither parses JSON (parsing costs nothing measurable
 * at these rates: Jackson parses about 3.9 M such bodies a second on one core, measured by hand).
 */
public final class BaselineServer {
    private static final byte[] OK = "{\"seq\":0,\"duplicate\":false}".getBytes(StandardCharsets.UTF_8);

    private final AtomicReference<CompletableFuture<String>> nextBroadcast = new AtomicReference<>(new CompletableFuture<>());

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        var a = new Args(args, 1);
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.integer("port")), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", exchange -> reply(exchange, 200, OK));
        var self = new BaselineServer();
        switch (args[0]) {
            case "trivial" -> {
                server.createContext("/measurements", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    reply(exchange, 200, OK);
                });
                server.createContext("/idle", self::idle);
                server.createContext("/broadcast", self::broadcast);
            }
            case "naive" -> {
                var nc = Streams.connect(a.text("nats"));
                Streams.ensure(nc, a.text("stream"), a.text("subject"));
                var js = nc.jetStream();
                var subject = a.text("subject");
                server.createContext("/measurements", exchange -> publish(exchange, js, subject));
            }
            case "appender" -> {
                var nc = Streams.connect(a.text("nats"));
                Streams.ensure(nc, a.text("stream"), a.text("subject"));
                var appender = JetStreamAppender.create(nc, 1024, Duration.ofSeconds(2));
                var subject = a.text("subject");
                server.createContext("/measurements", exchange -> append(exchange, appender, subject));
            }
            default -> throw new IllegalArgumentException("mode must be trivial, naive or appender: " + args[0]);
        }
        server.start();
        System.out.println("baseline " + args[0] + " listening on " + server.getAddress());
    }

    private static void publish(HttpExchange exchange, JetStream js, String subject) throws IOException {
        var body = exchange.getRequestBody().readAllBytes();
        try {
            var ack = js.publish(subject, body);
            reply(exchange, 200, ("{\"seq\":" + ack.getSeqno() + ",\"duplicate\":false}").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            reply(exchange, 503, ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void append(HttpExchange exchange, JetStreamAppender appender, String subject) throws IOException {
        var body = exchange.getRequestBody().readAllBytes();
        try {
            var ack = appender.append(new OutgoingMessage(subject, null, body)).get();
            reply(exchange, 200, ("{\"seq\":" + ack.sequence() + ",\"duplicate\":false}").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            reply(exchange, 503, ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void idle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        var out = exchange.getResponseBody();
        out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            for (;;) {
                var data = nextBroadcast.get().get(); // the handler's virtual thread parks here while idle
                out.write(("event: anomaly\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            exchange.close();
        }
    }

    private void broadcast(HttpExchange exchange) throws IOException {
        var data = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        nextBroadcast.getAndSet(new CompletableFuture<>()).complete(data);
        reply(exchange, 200, OK);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
