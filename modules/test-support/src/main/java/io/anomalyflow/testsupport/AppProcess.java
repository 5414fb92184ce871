package io.anomalyflow.testsupport;

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
 * One app run as a user runs it, {@code java [jvmArgs] -jar modules/<app>/target/<app>.jar [args]},
 * as a child process of the test JVM (the same JDK, {@code java.home}), from the project's root
 * directory (the system property {@code anomalyflow.root}, else {@code ../..}). Tests that break
 * things can {@link #kill()} it ({@code kill -9}), {@link #stop()} it (SIGTERM) and
 * {@link #startAgain()} it with the same command line, so on the same port.
 *
 * <p>The app runs under the same shell watchdog as {@link NatsServer}: its standard input is a pipe
 * from this JVM, and when this JVM dies in any way ({@code kill -9} included) the pipe closes and the
 * watchdog kills the app, so not even a killed build leaves an app holding a port. Each start logs to
 * its own files under the given directory: {@code <app>-<n>.log}, and {@code <app>-<n>.err.log} when
 * standard error is kept apart (a CLI whose last stdout line is its JSON summary, for example).
 */
public final class AppProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String app;
    private final Path root;
    private final Path logs;
    private final boolean splitStreams;
    private final List<String> command;
    private Process watchdog;
    private ProcessHandle java;
    private Path out;
    private Path err;
    private int generation;

    private AppProcess(String app, Path root, Path logs, boolean splitStreams, List<String> command) {
        this.app = app;
        this.root = root;
        this.logs = logs;
        this.splitStreams = splitStreams;
        this.command = List.copyOf(command);
    }

    /** Starts the app, stdout and stderr together; returns once its JVM runs (not once it listens: {@link #awaitHttp}). */
    public static AppProcess start(String app, Path logs, List<String> jvmArgs, List<String> args) throws IOException {
        return start(app, logs, jvmArgs, args, false);
    }

    /** As {@link #start(String, Path, List, List)}; with {@code splitStreams}, stderr goes to a file of its own. */
    public static AppProcess start(String app, Path logs, List<String> jvmArgs, List<String> args, boolean splitStreams)
            throws IOException {
        var jar = jar(app);
        var script = new String(NatsServer.resource("watchdog.sh"), StandardCharsets.UTF_8);
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of("bash", "-c", script, app + "-watchdog", java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        var p = new AppProcess(app, root(), Files.createDirectories(logs), splitStreams, command);
        p.startAgain();
        return p;
    }

    /** {@code <root>/modules/<app>/target/<app>.jar}; fails with a hint when it was not built. */
    public static Path jar(String app) {
        var jar = root().resolve("modules").resolve(app).resolve("target").resolve(app + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the apps are packaged before these tests by `mvn verify`"
                    + " (make test); run that rather than `mvn test`.");
        }
        return jar;
    }

    /** The project's root directory: the system property {@code anomalyflow.root}, else {@code ../..}. */
    private static Path root() {
        return Path.of(System.getProperty("anomalyflow.root", "../..")).toAbsolutePath().normalize();
    }

    /** A loopback port nobody listens on now (the app binds it a moment later; on loopback that race is harmless). */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return app;
    }

    /** Starts the app again with the same command line (after {@link #kill()} or {@link #stop()}). */
    public synchronized void startAgain() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException(app + " is running");
        }
        generation++;
        out = logs.resolve(app + "-" + generation + ".log");
        err = splitStreams ? logs.resolve(app + "-" + generation + ".err.log") : out;
        var builder = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile());
        if (splitStreams) {
            builder.redirectError(err.toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        // the app must not inherit settings meant for someone else (a token, a NATS URL, a port)
        for (var name : List.of("NATS_URL", "PORT", "BIND", "GATEWAY_URL", "GATEWAY_TOKEN", "JAVA_TOOL_OPTIONS")) {
            builder.environment().remove(name);
        }
        watchdog = builder.start();
        java = awaitJavaChild(watchdog);
    }

    /**
     * The current run's watchdog process: it ends when the app ends, with the app's exit status, so a
     * test can {@code waitFor} an app that finishes by itself (a CLI) and read its {@code exitValue}.
     */
    public synchronized Process process() {
        return watchdog;
    }

    /** The pid of the app's JVM (not of its watchdog). */
    public synchronized long pid() {
        return java.pid();
    }

    public synchronized boolean isRunning() {
        return java != null && java.isAlive();
    }

    /** {@code kill -9} of the app's JVM: no shutdown hook, no goodbye to NATS or to HTTP clients. */
    public synchronized void kill() {
        if (java != null) {
            java.destroyForcibly();
            awaitExit(java);
        }
        reapWatchdog();
    }

    /** SIGTERM: the app's graceful shutdown; {@code kill -9} when it takes longer than 15 s. */
    public synchronized void stop() {
        if (java != null && java.isAlive()) {
            java.destroy();
            try {
                java.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                java.destroyForcibly();
                awaitExit(java);
            }
        }
        reapWatchdog();
    }

    /** Waits until {@code url} answers 2xx; fails early, with the log, when the app's process ended. */
    public void awaitHttp(URI url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                if (!isRunning()) {
                    throw new AssertionError(app + " exited before answering " + url + "; its log:\n" + log());
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
        }
        throw new AssertionError(app + " did not answer " + url + " with a 2xx within " + timeout + " (last: " + last
                + "); its log:\n" + log());
    }

    /** The current run's standard output (and error, unless kept apart). */
    public synchronized Path out() {
        return out;
    }

    /** The current run's standard error: the same file as {@link #out()} unless kept apart. */
    public synchronized Path err() {
        return err;
    }

    /** The last 60 lines of the current run's output (and of its error output when kept apart). */
    public synchronized String log() {
        return tail(out) + (err.equals(out) ? "" : "\n--- stderr ---\n" + tail(err));
    }

    /** Stops the app (SIGTERM, then SIGKILL through the watchdog). */
    @Override
    public synchronized void close() {
        stop();
    }

    @Override
    public String toString() {
        return app + (isRunning() ? "[pid " + java.pid() + "]" : "[stopped]");
    }

    private static String tail(Path file) {
        try {
            var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static ProcessHandle awaitJavaChild(Process watchdog) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var child = watchdog.children()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            if (!watchdog.isAlive()) {
                throw new IOException("the app's watchdog ended at once (exit " + watchdog.exitValue() + ")");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting an app", e);
            }
        }
        watchdog.destroyForcibly();
        throw new IOException("the app's JVM did not appear under its watchdog within 10 s");
    }

    private void reapWatchdog() {
        if (watchdog == null) {
            return;
        }
        try {
            watchdog.getOutputStream().close(); // end-of-file: the watchdog kills what is left and ends
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly();
            }
        } catch (IOException e) {
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        } catch (InterruptedException e) {
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + h.pid() + " did not exit within 10 s of SIGKILL", e);
        }
    }
}
