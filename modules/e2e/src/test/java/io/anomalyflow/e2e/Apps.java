package io.anomalyflow.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the apps the way a user does, {@code java -jar modules/<app>/target/<app>.jar …}, as child
 * processes of the test JVM (the same JDK: {@code java.home}), each with its output in a log file
 * under {@code target/e2e-logs/}. {@link #close()} stops every one it started (SIGTERM, then
 * SIGKILL after a grace period), so a failing test leaves nothing behind.
 *
 * <p>Each app runs under test-support's shell watchdog (the one that guards nats-server): its
 * standard input is a pipe from this JVM, and when the JVM dies in any way, {@code kill -9}
 * included, the pipe closes and the watchdog kills the app. So not even a killed build leaves a
 * gateway holding a port.
 */
final class Apps implements AutoCloseable {
    private static final String WATCHDOG = "/io/anomalyflow/testsupport/watchdog.sh";
    private final Path root;
    private final Path logs;
    private final String java;
    private final String watchdog;
    private final List<Started> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A running app: its process and the file holding its stdout (and stderr, unless split). */
    record Started(String name, Process process, Path out, Path err) {
        String log() {
            return tail(out) + (err.equals(out) ? "" : "\n--- stderr ---\n" + tail(err));
        }
    }

    Apps(Path logs) throws IOException {
        this.root = Path.of(System.getProperty("anomalyflow.root", "../..")).toAbsolutePath().normalize();
        this.logs = Files.createDirectories(logs);
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (var in = Apps.class.getResourceAsStream(WATCHDOG)) {
            if (in == null) {
                throw new IllegalStateException("test-support's " + WATCHDOG + " is not on the classpath");
            }
            this.watchdog = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }


    /** The jar of {@code app}; fails with a hint when it was not built. */
    Path jar(String app) {
        var jar = root.resolve("modules").resolve(app).resolve("target").resolve(app + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the apps are packaged before this test by `mvn verify`"
                    + " (make test); run that rather than `mvn test`.");
        }
        return jar;
    }

    /** Starts {@code java -jar <app>.jar args…}, stdout and stderr together in {@code <app>.log}. */
    Started start(String app, String... args) throws IOException {
        return start(app, false, args);
    }

    /** As {@link #start(String, String...)}; with {@code splitStreams}, stdout and stderr go to two files. */
    Started start(String app, boolean splitStreams, String... args) throws IOException {
        var command = new ArrayList<String>(List.of("bash", "-c", watchdog, app + "-watchdog", java, "-jar", jar(app).toString()));
        command.addAll(List.of(args));
        var out = logs.resolve(app + ".log");
        var err = splitStreams ? logs.resolve(app + ".err.log") : out;
        var builder = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile());
        if (splitStreams) {
            builder.redirectError(err.toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        // the child must not inherit settings meant for someone else (a token, a NATS URL, a port)
        for (var name : List.of("NATS_URL", "PORT", "BIND", "GATEWAY_URL", "GATEWAY_TOKEN")) {
            builder.environment().remove(name);
        }
        var s = new Started(app, builder.start(), out, err);
        started.add(s);
        return s;
    }

    /** Waits until {@code url} answers 2xx; fails early when the app's process ended. */
    void awaitHttp(Started app, URI url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!app.process().isAlive()) {
                throw new AssertionError(app.name() + " exited with " + app.process().exitValue() + " before answering "
                        + url + "; its log:\n" + app.log());
            }
            try {
                var r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(app.name() + " did not answer " + url + " with a 2xx within " + timeout + " (last: "
                + last + "); its log:\n" + app.log());
    }

    /** The logs of every app started, for a failure message. */
    String logs() {
        var sb = new StringBuilder();
        for (var s : started) {
            sb.append("\n===== ").append(s.name()).append(" (").append(s.out()).append(") =====\n").append(s.log());
        }
        return sb.toString();
    }

    /**
     * Stops every app, the last started first (sender, client, gateway): SIGTERM to the app (its
     * graceful shutdown), then, after 15 s, end-of-file to its watchdog, which kills it.
     */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            // the java under the watchdog (not the watchdog's own reader, which must stay to kill it later)
            started.get(i).process().children()
                    .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .forEach(ProcessHandle::destroy);
        }
        for (var s : started) {
            var p = s.process();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.getOutputStream().close(); // the watchdog sends SIGKILL
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                }
            } catch (IOException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        http.shutdownNow();
    }

    /** A port nobody listens on right now (the app binds it a moment later; on loopback that race is harmless). */
    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        try {
            var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
