package io.anomalyflow.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-socket HTTP/1.1 client for tests that need what {@code java.net.http} hides: sending a
 * body slowly or only partly, lying in headers, reading a reply while still sending, and seeing
 * whether the server closed or reset the connection. Shared with the gateway's tests (test-jar).
 */
public final class RawHttp implements AutoCloseable {
    /** A reply: status, headers (names lower case) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
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

    /** Connects to {@code 127.0.0.1:port}; every read gives up after {@code 20 s}. */
    public static RawHttp connect(int port) throws IOException {
        var s = new Socket(InetAddress.getLoopbackAddress(), port);
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
        var parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
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
