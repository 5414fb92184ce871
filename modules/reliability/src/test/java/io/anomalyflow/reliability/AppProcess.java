package io.anomalyflow.reliability;

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
 * One app ({@code gateway}, {@code client}) run as a user runs it, {@code java -jar
 * modules/<app>/target/<app>.jar …}, as a child process that fault tests can {@link #kill()}
 * ({@code kill -9}), {@link #stop()} (SIGTERM) and {@link #startAgain()} with the same command line,
 * so on the same port.
 *
 * <p>As in the e2e module, the app runs under test-support's shell watchdog: its standard input is a
 * pipe from this JVM, and when this JVM dies in any way the pipe closes and the watchdog kills the
 * app, so not even a killed build leaves an app holding a port. Each start logs to its own file,
 * {@code <logs>/<app>-<n>.log}.
 */
final class AppProcess implements AutoCloseable {
    private static final String WATCHDOG = "/io/anomalyflow/testsupport/watchdog.sh";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String app;
    private final Path root;
    private final Path logs;
    private final List<String> command;
    private Process watchdog;
    private ProcessHandle java;
    private Path log;
    private int generation;

    private AppProcess(String app, Path root, Path logs, List<String> command) {
        this.app = app;
        this.root = root;
        this.logs = logs;
        this.command = List.copyOf(command);
    }

    /**
     * Starts {@code java <jvmArgs> -jar <app>.jar <args>}; returns once the process runs (not once it
     * listens: see {@link #awaitHealthy}).
     */
    static AppProcess start(String app, Path logs, List<String> jvmArgs, List<String> args) throws IOException {
        var root = Path.of(System.getProperty("anomalyflow.root", "../..")).toAbsolutePath().normalize();
        var jar = root.resolve("modules").resolve(app).resolve("target").resolve(app + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the apps are packaged before these tests by `mvn verify`"
                    + " (make test); run that rather than `mvn test`.");
        }
        String script;
        try (var in = AppProcess.class.getResourceAsStream(WATCHDOG)) {
            if (in == null) {
                throw new IllegalStateException("test-support's " + WATCHDOG + " is not on the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of("bash", "-c", script, app + "-watchdog", java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        var p = new AppProcess(app, root, Files.createDirectories(logs), command);
        p.startAgain();
        return p;
    }

    /** A loopback port nobody listens on now (the app binds it a moment later; on loopback that race is harmless). */
    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return app;
    }

    /** Starts the app again with the same command line (after {@link #kill()} or {@link #stop()}). */
    synchronized void startAgain() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException(app + " is running");
        }
        generation++;
        log = logs.resolve(app + "-" + generation + ".log");
        var builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the app must not inherit settings meant for someone else (a token, a NATS URL, a port)
        for (var name : List.of("NATS_URL", "PORT", "BIND", "GATEWAY_URL", "GATEWAY_TOKEN", "JAVA_TOOL_OPTIONS")) {
            builder.environment().remove(name);
        }
        watchdog = builder.start();
        java = awaitJavaChild(watchdog);
    }

    /** The pid of the app's JVM (not of its watchdog). */
    synchronized long pid() {
        return java.pid();
    }

    synchronized boolean isRunning() {
        return java != null && java.isAlive();
    }

    /** {@code kill -9} of the app's JVM: no shutdown hook, no goodbye to NATS or to HTTP clients. */
    synchronized void kill() {
        if (java != null) {
            java.destroyForcibly();
            awaitExit(java);
        }
        reapWatchdog();
    }

    /** SIGTERM: the app's graceful shutdown; {@code kill -9} when it takes longer than 15 s. */
    synchronized void stop() {
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

    /** What the app's JVM looks like from outside: {@code /proc} and {@code jcmd} (its current run). */
    ProcessProbe probe() {
        return new ProcessProbe(pid());
    }

    /** Waits until {@code url} answers 2xx; fails early, with the log, when the app's process ended. */
    void awaitHealthy(HttpClient http, URI url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
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
        throw new AssertionError(app + " did not answer " + url + " with a 2xx within " + timeout + " (last: " + last
                + "); its log:\n" + log());
    }

    /** The log file of the current run (stdout and stderr). */
    synchronized Path logFile() {
        return log;
    }

    /** The last 60 lines of the current run's log. */
    String log() {
        try {
            var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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
        watchdog = null;
    }

    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + h.pid() + " did not exit within 10 s of SIGKILL", e);
        }
    }
}
