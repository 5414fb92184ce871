package io.anomalyflow.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A plain-socket HTTP/1.1 client for tests that need what {@code java.net.http} hides: sending a body
 * slowly or only partly, lying in headers, reading a reply while still sending, seeing whether the
 * server closed or reset the connection. Two ways to use it: a connection ({@link #connect},
 * {@link #send}, {@link #read}, {@link #awaitEnd}), or one bounded hostile {@link #exchange} that
 * reports every status line that came back. Everything is bounded: the connect, each read, the
 * whole exchange.
 */
public final class RawHttp implements AutoCloseable {
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");
    private static final int MAX_READ = 1 << 20;

    /** A reply: status, headers (names lower case) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * What came back from an {@link #exchange}.
     *
     * @param statuses    the status of every response, in order
     * @param closed      the server closed (or reset) the connection
     * @param sendFailed  the server stopped taking our bytes (closed or reset while we were sending)
     * @param elapsed     from connect to the end
     * @param head        the start of what came back, for failure messages
     */
    public record Reply(List<Integer> statuses, boolean closed, boolean sendFailed, Duration elapsed, String head) {
        /**
         * Answered with a 4xx (after any interim 1xx, such as the {@code 100 Continue} the JDK server
         * sends by itself), or closed without a word: what hostile input may get.
         */
        public boolean refused() {
            var finals = statuses.stream().filter(s -> s >= 200).toList();
            return finals.isEmpty() ? closed || sendFailed : finals.stream().allMatch(s -> s >= 400 && s < 500);
        }

        /** Answered without a 5xx, or closed: what harmless oddities may get. */
        public boolean bounded() {
            return statuses.isEmpty() ? closed || sendFailed : statuses.stream().allMatch(s -> s < 500);
        }

        @Override
        public String toString() {
            return "statuses " + statuses + (closed ? ", closed" : ", left open") + (sendFailed ? ", send cut off" : "")
                    + " after " + elapsed.toMillis() + " ms: " + head.replace("\r\n", "⏎ ");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port} (within 5 s); every read gives up after 20 s. */
    public static RawHttp connect(int port) throws IOException {
        var s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /** The head of a request: request line, {@code Host}, the given header lines, and the blank line. */
    public static String head(String method, String path, String... headerLines) {
        var sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (var h : headerLines) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one reply (Content-Length or chunked body). */
    public Response read() throws IOException {
        var statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a reply");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        var headers = new TreeMap<String, String>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        var body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            int size;
            while ((size = Integer.parseInt(line().strip(), 16)) > 0) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Whether the server ended the connection: {@code "closed"} (an orderly end of stream),
     * {@code "reset"} (a TCP reset), or {@code "open"} when nothing came within {@code millis}.
     */
    public String awaitEnd(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0 ? "closed" : "open (more data)";
        } catch (SocketTimeoutException e) {
            return "open";
        } catch (SocketException e) {
            return "reset";
        }
    }

    /** Sends {@code request} at once to {@code 127.0.0.1:port}; see {@link #exchange(int, byte[], int, Duration, Duration, Duration)}. */
    public static Reply exchange(int port, byte[] request, Duration quiet, Duration deadline) throws IOException {
        return exchange(port, request, 0, Duration.ZERO, quiet, deadline);
    }

    /**
     * Sends the first {@code atOnce} bytes at once, then the rest one byte every {@code pace}
     * (slowloris), stopping early when the server cuts the connection or the deadline passes; then
     * reads whatever comes back until the server closes, stays silent for {@code quiet}, or the
     * deadline passes.
     */
    public static Reply exchange(int port, byte[] request, int atOnce, Duration pace, Duration quiet, Duration deadline)
            throws IOException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        try (var http = connect(port)) {
            boolean sendFailed = !http.trickle(request, atOnce, pace, end); // the server cut us off
            var received = new ByteArrayOutputStream();
            boolean closed = false;
            var buffer = new byte[8192];
            while (received.size() < MAX_READ) {
                long left = Math.min(quiet.toNanos(), end - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                http.socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                try {
                    int n = http.in.read(buffer);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    received.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    break; // quiet for long enough, or out of time: the connection is still open
                } catch (IOException e) {
                    closed = true; // reset
                    break;
                }
            }
            var text = received.toString(StandardCharsets.ISO_8859_1);
            var statuses = new ArrayList<Integer>();
            var m = STATUS_LINE.matcher(text);
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            return new Reply(statuses, closed, sendFailed, Duration.ofNanos(System.nanoTime() - start),
                    text.substring(0, Math.min(300, text.length())));
        }
    }

    /**
     * False when the server cut the connection while we were sending; true when every byte went out,
     * or when the deadline stopped us (the server did not cut us: that is not a refusal).
     */
    private boolean trickle(byte[] request, int atOnce, Duration pace, long end) {
        try {
            int first = pace.isZero() ? request.length : Math.min(atOnce, request.length);
            out.write(request, 0, first);
            out.flush();
            for (int i = first; i < request.length; i++) {
                if (System.nanoTime() > end) {
                    return true;
                }
                Thread.sleep(pace); // the pace is what is under test (a slow sender), not a wait for a condition
                out.write(request[i]);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String line() throws IOException {
        var sb = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                var s = sb.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            sb.write(c);
        }
        return sb.size() == 0 ? null : sb.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
