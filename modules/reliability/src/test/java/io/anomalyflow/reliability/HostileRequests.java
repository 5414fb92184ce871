package io.anomalyflow.reliability;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.reliability.Ledger.Outcome;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of case 9: hostile HTTP/1.1 requests as raw bytes, each with how to send it and what
 * it may get back. Every measurement written into them (behind a smuggling attempt, in a flooded or
 * trickled request) is entered in the ledger as rejected: it must never be stored.
 */
final class HostileRequests {
    private final EventCodec codec = EventCodec.create();
    private final Ledger ledger;
    private int hiddenIds;

    /**
     * One hostile request: a name, the bytes, how to send them, and whether it must be refused (4xx or
     * closed) or only bounded (no 5xx, no hang: an oddity a tolerant server may answer).
     */
    record Probe(String name, int port, byte[] bytes, int atOnce, Duration pace, boolean mustRefuse) {
        Probe(String name, int port, byte[] bytes, int atOnce, Duration pace) {
            this(name, port, bytes, atOnce, pace, true);
        }

        Probe tolerated() {
            return new Probe(name, port, bytes, atOnce, pace, false);
        }
    }

    HostileRequests(Ledger ledger) {
        this.ledger = ledger;
    }

    /** How many measurements the requests so far carried (each held as rejected by the ledger). */
    int hiddenIds() {
        return hiddenIds;
    }

    /** Every hostile request of one round, to the gateway's port or the client's. */
    List<Probe> all(int gateway, int client, int round) {
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
        hiddenIds++;
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
