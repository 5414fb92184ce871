package io.anomalyflow.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one keep-alive loopback socket: what the load generators use instead
 * of {@code java.net.http.HttpClient}, which cannot load a server on this machine (measured by hand:
 * 5–9k req/s from it against a server that takes 24k from wrk). Requests are pre-built byte arrays
 * ({@link #post}); responses are read with {@code Content-Length} or chunked framing. Not
 * thread-safe: one connection per thread.
 */
final class Http1 implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A response: the status and the body (headers are read and dropped). */
    record Response(int status, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Http1(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    static Http1 connect(int port, Duration timeout) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return new Http1(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The bytes of {@code POST path} with {@code body}, keep-alive. */
    static byte[] post(String path, String contentType, byte[] body) {
        var head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        var h = head.getBytes(StandardCharsets.US_ASCII);
        var request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        return request;
    }

    Response get(String path) throws IOException {
        return send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a whole request and reads its response. */
    Response send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        var statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (var h = line(); !h.isEmpty(); h = line()) {
            var lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            var body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line(); // the empty line after the last chunk
            return new Response(status, body.toByteArray());
        }
        if (length < 0) {
            throw new IOException("response without Content-Length or chunked framing (status " + status + ")");
        }
        var body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new EOFException("connection closed inside a response body");
        }
        return new Response(status, body);
    }

    private String line() throws IOException {
        return line(in);
    }

    /** One line of a response head or chunk framing, without its CRLF; EOF before it is an error. */
    static String line(InputStream in) throws IOException {
        var sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
