package io.anomalyflow.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One Server-Sent-Events reader on a raw loopback socket: {@code GET path} with
 * {@code Accept: text/event-stream}, the status and headers checked, then the chunked body read
 * line by line ({@link #readLine()}). Small on purpose — ten thousand of them run in the harness at
 * once, one virtual thread each.
 */
final class SseClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(256);
    private int chunkLeft; // bytes left in the current chunk; -1 after the last chunk

    private SseClient(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** Connects and reads the response head; fails unless it is {@code 200} with a chunked body. */
    static SseClient open(int port, String path, Duration timeout) throws IOException {
        var socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedInputStream(socket.getInputStream(), 2048);
            var status = Http1.line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + path + ": " + status);
            }
            boolean chunked = false;
            for (var h = Http1.line(in); !h.isEmpty(); h = Http1.line(in)) {
                var lower = h.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            if (!chunked) {
                throw new IOException("GET " + path + ": the event stream is not chunked");
            }
            socket.setSoTimeout(0); // idle readers wait as long as it takes
            return new SseClient(socket, in);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The next line of the event stream (without its line break), or {@code null} at its end. */
    String readLine() throws IOException {
        line.setLength(0);
        for (int c = next(); ; c = next()) {
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (c == '\n') {
                return line.toString();
            }
            if (c != '\r') {
                line.append((char) c); // the harness only looks for ASCII markers
            }
        }
    }

    /** One byte of the de-chunked body, or -1 at its end. */
    private int next() throws IOException {
        if (chunkLeft == 0) {
            var size = Http1.line(in);
            if (size.isEmpty()) { // the CRLF that ends the previous chunk
                size = Http1.line(in);
            }
            chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                chunkLeft = -1;
            }
        }
        if (chunkLeft < 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        chunkLeft--;
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
