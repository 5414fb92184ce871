package io.anomalyflow.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 on a raw socket, for requests no well-behaved client would send: conflicting lengths,
 * thousands of headers, a byte a second. It sends the bytes (all at once, or trickled), then reads
 * whatever comes back until the server closes the connection or stays silent for {@code quiet}, and
 * reports every status line it saw. Everything is bounded: the connect, each read, the whole
 * exchange ({@code deadline}).
 */
final class RawHttp {
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");
    private static final int MAX_READ = 1 << 20;

    private RawHttp() {
    }

    /**
     * What came back.
     *
     * @param statuses    the status of every response, in order
     * @param closed      the server closed (or reset) the connection
     * @param sendFailed  the server stopped taking our bytes (closed or reset while we were sending)
     * @param elapsed     from connect to the end
     * @param head        the start of what came back, for failure messages
     */
    record Reply(List<Integer> statuses, boolean closed, boolean sendFailed, Duration elapsed, String head) {
        /**
         * Answered with a 4xx (after any interim 1xx, such as the {@code 100 Continue} the JDK server
         * sends by itself), or closed without a word: what hostile input may get.
         */
        boolean refused() {
            var finals = statuses.stream().filter(s -> s >= 200).toList();
            return finals.isEmpty() ? closed || sendFailed : finals.stream().allMatch(s -> s >= 400 && s < 500);
        }

        /** Answered without a 5xx, or closed: what harmless oddities may get. */
        boolean bounded() {
            return statuses.isEmpty() ? closed || sendFailed : statuses.stream().allMatch(s -> s < 500);
        }

        @Override
        public String toString() {
            return "statuses " + statuses + (closed ? ", closed" : ", left open") + (sendFailed ? ", send cut off" : "")
                    + " after " + elapsed.toMillis() + " ms: " + head.replace("\r\n", "⏎ ");
        }
    }

    /** Sends {@code request} at once. */
    static Reply exchange(int port, byte[] request, Duration quiet, Duration deadline) throws IOException {
        return exchange(port, request, 0, Duration.ZERO, quiet, deadline);
    }

    /**
     * Sends the first {@code atOnce} bytes at once, then the rest one byte every {@code pace}
     * (slowloris), stopping early when the server cuts the connection or the deadline passes.
     */
    static Reply exchange(int port, byte[] request, int atOnce, Duration pace, Duration quiet, Duration deadline)
            throws IOException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            boolean sendFailed = !send(socket, request, atOnce, pace, end); // the server cut us off
            var in = socket.getInputStream();
            var received = new ByteArrayOutputStream();
            boolean closed = false;
            var buffer = new byte[8192];
            while (received.size() < MAX_READ) {
                long left = Math.min(quiet.toNanos(), end - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                try {
                    int n = in.read(buffer);
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
    private static boolean send(Socket socket, byte[] request, int atOnce, Duration pace, long end) {
        try {
            OutputStream out = socket.getOutputStream();
            int first = pace.isZero() ? request.length : Math.min(atOnce, request.length);
            out.write(request, 0, first);
            out.flush();
            for (int i = first; i < request.length; i++) {
                if (System.nanoTime() > end) {
                    return true;
                }
                Thread.sleep(pace);
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
}
