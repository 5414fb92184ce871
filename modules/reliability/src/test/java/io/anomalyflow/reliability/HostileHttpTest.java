package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.reliability.Ledger.Outcome;
import io.anomalyflow.testsupport.NatsServer;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 9: hostile HTTP against both servers (the gateway's POST, the client's GETs), while ordinary
 * load keeps flowing: header floods (10 000 headers, a 1 MiB header, a 64 KiB request line), request
 * smuggling attempts (Content-Length against Transfer-Encoding, two Content-Lengths, obfuscated
 * Transfer-Encoding, an overflowing chunk size, signed and huge lengths), slowloris on headers and on
 * the body (a byte a second), absurd request lines and paths.
 *
 * <p>Each attempt must be answered with a 4xx or have its connection closed, within a bound; none
 * may get a 2xx or a 5xx. A measurement hidden behind a smuggling attempt must never be stored (the
 * ledger holds every id in the hostile bytes as "rejected"). Meanwhile the ordinary load sees only
 * 200s, and the ledger of the whole run is clean.
 */
class HostileHttpTest {
    /** The gateway's read timeout here; its JDK server closes stalled requests 5 s after it. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EventCodec codec = EventCodec.create();
    private final Ledger ledger = new Ledger();
    private int hostileIds;

    /**
     * One hostile request: a name, the bytes, how to send them, and whether it must be refused (4xx or
     * closed) or only bounded (no 5xx, no hang: an oddity a tolerant server may answer).
     */
    private record Probe(String name, int port, byte[] bytes, int atOnce, Duration pace, boolean mustRefuse) {
        Probe(String name, int port, byte[] bytes, int atOnce, Duration pace) {
            this(name, port, bytes, atOnce, pace, true);
        }

        Probe tolerated() {
            return new Probe(name, port, bytes, atOnce, pace, false);
        }
    }

    @Test
    void hostileRequestsAreRefusedAndOthersAreServed() throws Exception {
        hostile(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void hostileRequestsAreRefusedAndOthersAreServedSoak() throws Exception {
        hostile(Variant.SOAK);
    }

    private void hostile(Variant variant) throws Exception {
        int rounds = variant.pick(1, 20);
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("hostile-http"),
                     List.of("--read-timeout", READ_TIMEOUT.toMillis() + "ms"), List.of(), List.of());
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                var failures = new ConcurrentHashMap<String, RawHttp.Reply>();
                var replies = new ConcurrentHashMap<String, RawHttp.Reply>();
                var settings = LoadDriver.Settings.defaults().workers(2).pace(Duration.ofMillis(10));
                try (var load = rig.load(ledger, "ordinary", settings)) {
                    for (int round = 0; round < rounds; round++) {
                        var futures = new ArrayList<Future<?>>();
                        for (var probe : probes(rig.gatewayUrl.getPort(), rig.clientUrl.getPort(), round)) {
                            futures.add(pool.submit(() -> {
                                var reply = RawHttp.exchange(probe.port(), probe.bytes(), probe.atOnce(), probe.pace(),
                                        QUIET, DEADLINE);
                                replies.put(probe.name(), reply);
                                if (!(probe.mustRefuse() ? reply.refused() : reply.bounded())) {
                                    failures.put(probe.name(), reply);
                                }
                                return null;
                            }));
                        }
                        for (var f : futures) {
                            f.get();
                        }
                        // the servers still serve others
                        assertThat(Probes.status(rig.http, rig.gatewayUrl.resolve("/health"))).isEqualTo(200);
                        assertThat(Probes.status(rig.http, rig.clientUrl.resolve("/health"))).isEqualTo(200);
                    }
                    load.awaitAcked(load.acked() + 50, Duration.ofSeconds(60));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.statuses().keySet()).as("the ordinary load, meanwhile").containsOnly(200);
                }
                replies.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> System.out.println("PROBE " + e.getKey() + ": " + e.getValue()));
                assertThat(failures).as("hostile requests that were not refused (4xx or closed)").isEmpty();
                var slow = replies.entrySet().stream().filter(e -> e.getKey().contains("slowloris"))
                        .map(e -> e.getKey() + ": " + e.getValue()).toList();
                assertThat(replies.entrySet()).as("slowloris cut off").filteredOn(e -> e.getKey().contains("slowloris"))
                        .allSatisfy(e -> assertThat(e.getValue().closed() || e.getValue().sendFailed())
                                .as(e.getKey() + ": " + e.getValue()).isTrue());
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                Results.record("9. hostile HTTP", variant,
                        replies.size() + " kinds of hostile request x " + rounds + " round(s) on both servers, with "
                                + ledger.count(Outcome.ACKED) + " ordinary POSTs alongside",
                        "header floods, smuggling, slowloris, absurd paths", ledger, verdict,
                        "every one answered 4xx or closed, none stored (" + hostileIds + " hidden ids); "
                                + String.join("; ", slow));
            } catch (Throwable t) {
                t.addSuppressed(new AssertionError("logs:" + rig.logs()));
                throw t;
            }
        }
    }

    private List<Probe> probes(int gateway, int client, int round) {
        var probes = new ArrayList<Probe>();
        // header floods
        var many = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.append("X-Flood-").append(i).append(": ").append(i).append("\r\n");
        }
        probes.add(post(gateway, "10 000 headers", many.toString(), body(round, "headers")));
        probes.add(post(gateway, "a 1 MiB header", "X-Big: " + "a".repeat(1 << 20) + "\r\n", body(round, "big-header")));
        probes.add(raw(client, "10 000 headers (client)", "GET /anomalies HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"));
        probes.add(raw(client, "a 1 MiB header (client)",
                "GET /anomalies HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"));
        probes.add(raw(gateway, "a 64 KiB request line", "GET /" + "a".repeat(64 << 10) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        probes.add(raw(client, "a 64 KiB request line (client)",
                "GET /anomalies?deviceId=" + "a".repeat(64 << 10) + " HTTP/1.1\r\nHost: x\r\n\r\n"));

        // request smuggling: a measurement hidden behind the first request must never be stored
        var hidden = smuggled(round, "cl-te");
        var chunkedThenHidden = "0\r\n\r\n" + hidden;
        probes.add(raw(gateway, "smuggling: Content-Length and Transfer-Encoding", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + chunkedThenHidden.length() + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunkedThenHidden));
        hidden = smuggled(round, "te-cl");
        chunkedThenHidden = "0\r\n\r\n" + hidden;
        probes.add(raw(gateway, "smuggling: Transfer-Encoding and Content-Length", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: " + chunkedThenHidden.length() + "\r\n\r\n" + chunkedThenHidden));
        hidden = smuggled(round, "cl-cl");
        probes.add(raw(gateway, "smuggling: two Content-Lengths", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: " + (2 + hidden.length())
                + "\r\n\r\n{}" + hidden));
        hidden = smuggled(round, "te-te");
        probes.add(raw(gateway, "smuggling: chunked, then identity", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"
                + "Content-Length: 5\r\n\r\n0\r\n\r\n" + hidden));
        hidden = smuggled(round, "te-space");
        probes.add(raw(gateway, "smuggling: 'Transfer-Encoding : chunked'", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
                + hidden));
        hidden = smuggled(round, "te-x");
        probes.add(raw(gateway, "smuggling: 'Transfer-Encoding: xchunked'", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
                + hidden));
        probes.add(raw(gateway, "chunk size overflow", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"));
        for (var length : List.of("-1", "+5", "1e3", "99999999999999999999", "5, 5", "")) {
            probes.add(raw(gateway, "Content-Length: '" + length + "'", "POST /measurements HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{}\r\n"));
        }
        probes.add(raw(gateway, "Expect: 100-continue, 1 GB announced, nothing sent", "POST /measurements HTTP/1.1\r\n"
                + "Host: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 1000000000\r\n\r\n"));

        // slowloris: a byte a second, in the headers and in the body
        var request = "POST /measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Slow: "
                + "z".repeat(120) + "\r\n\r\n";
        probes.add(new Probe("slowloris: headers, a byte a second", gateway, ascii(request), 20, Duration.ofSeconds(1)));
        var slowBody = new String(body(round, "slow-body"), StandardCharsets.US_ASCII);
        var head = "POST /measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + slowBody.length() + "\r\n\r\n";
        probes.add(new Probe("slowloris: body, a byte a second", gateway, ascii(head + slowBody), head.length() + 1,
                Duration.ofSeconds(1)));
        probes.add(new Probe("slowloris: headers, a byte a second (client)", client,
                ascii("GET /anomalies HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(120) + "\r\n\r\n"), 20, Duration.ofSeconds(1)));

        // absurd request lines and paths
        var lines = Map.ofEntries(
                Map.entry("dot-dot path", "GET /../../../../etc/passwd HTTP/1.1"),
                Map.entry("encoded dot-dot", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1"),
                Map.entry("NUL in the path", "GET /%00 HTTP/1.1"),
                Map.entry("broken escape", "GET /% HTTP/1.1"),
                Map.entry("absolute form", "POST http://evil.example/measurements HTTP/1.1"),
                Map.entry("asterisk", "OPTIONS * HTTP/1.1"),
                Map.entry("unknown method", "FOO /measurements HTTP/1.1"),
                Map.entry("no version", "GET /health"),
                Map.entry("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM"),
                Map.entry("8 000 segments", "GET /" + "a/".repeat(8_000) + " HTTP/1.1"),
                Map.entry("control characters", "GET /\u0001\u0002\u007f HTTP/1.1"),
                Map.entry("many slashes", "GET " + "/".repeat(10_000) + "measurements HTTP/1.1"));
        lines.forEach((name, line) -> {
            probes.add(raw(gateway, name, line + "\r\nHost: x\r\n\r\n"));
            probes.add(raw(client, name + " (client)", line.replace("/measurements", "/anomalies") + "\r\nHost: x\r\n\r\n"));
        });
        probes.add(new Probe("raw 0xFF bytes in the path", gateway, concat(ascii("GET /"), new byte[] {(byte) 0xFF, (byte) 0xFE},
                ascii(" HTTP/1.1\r\nHost: x\r\n\r\n")), 0, Duration.ZERO));
        // oddities the JDK server tolerates: they must only be bounded (answered without a 5xx, or closed)
        probes.add(raw(gateway, "HTTP/9.9", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n").tolerated());
        probes.add(raw(client, "HTTP/9.9 (client)", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n").tolerated());
        probes.add(raw(gateway, "10 000 empty lines, then a request",
                "\r\n".repeat(10_000) + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").tolerated());
        return probes;
    }

    private Probe raw(int port, String name, String request) {
        return new Probe(name, port, request.getBytes(StandardCharsets.ISO_8859_1), 0, Duration.ZERO);
    }

    /** A POST of {@code body} with extra header lines. */
    private Probe post(int port, String name, String extraHeaders, byte[] body) {
        var head = "POST /measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.length + "\r\n\r\n";
        return new Probe(name, port, concat(ascii(head), body), 0, Duration.ZERO);
    }

    /** A complete POST of one measurement, to hide in another request's body. */
    private String smuggled(int round, String kind) {
        var body = new String(body(round, "smuggled-" + kind), StandardCharsets.US_ASCII);
        return "POST /measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    /**
     * A valid measurement whose id the ledger holds as rejected: it travels inside hostile bytes, so
     * it must never be stored.
     */
    private byte[] body(int round, String kind) {
        var m = new Measurement("hostile-" + kind + "-" + round, Instant.now().truncatedTo(ChronoUnit.MILLIS), "dev-0",
                new BigDecimal("1.00"));
        ledger.sent(m);
        ledger.attempt(m.id(), Attempt.failed(Outcome.REJECTED, 400, 0, 0, "hostile: must not be stored"));
        hostileIds++;
        return codec.encode(m);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
