package io.anomalyflow.bench;

import io.anomalyflow.testsupport.AppProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM the harness started: an app ({@code java -jar modules/<app>/target/<app>.jar …}) or a
 * baseline ({@code java -cp benchmarks.jar <main> …}), with the same JDK as the harness, its
 * output in {@code bench/results/tmp/logs/<name>.log}. Extra JVM flags for every child (for
 * instance {@code -XX:StartFlightRecording=…} to profile) come from the environment variable
 * {@code BENCH_CHILD_JVM_FLAGS}. {@link #close()} stops it (SIGTERM, then SIGKILL after 10 s).
 */
final class Child implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final String name;
    private final Process process;
    private final Path log;
    private final long startedNanos;

    private Child(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java <BENCH_CHILD_JVM_FLAGS> -jar <jar> args…} */
    static Child jar(String name, Path jar, Path logs, List<String> args) throws IOException {
        var command = new ArrayList<String>();
        command.add(java().toString());
        command.addAll(extraFlags());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        return start(name, command, logs);
    }

    /** {@code java <BENCH_CHILD_JVM_FLAGS> -cp <this jar> <main> args…}: a baseline in its own JVM, like the apps. */
    static Child main(String name, Class<?> main, Path logs, List<String> args) throws IOException {
        var command = new ArrayList<String>();
        command.add(java().toString());
        command.addAll(extraFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return start(name, command, logs);
    }

    private static Child start(String name, List<String> command, Path logs) throws IOException {
        Files.createDirectories(logs);
        var log = logs.resolve(name + ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        for (var inherited : List.of("NATS_URL", "PORT", "BIND", "GATEWAY_URL", "GATEWAY_TOKEN")) {
            builder.environment().remove(inherited); // ours are passed as flags; nothing else may leak in
        }
        long t0 = System.nanoTime();
        return new Child(name, builder.start(), log, t0);
    }

    private static List<String> extraFlags() {
        var flags = System.getenv("BENCH_CHILD_JVM_FLAGS");
        return flags == null || flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }

    /** A port free right now on loopback (the child binds it a moment later; on loopback that race is harmless). */
    static int freePort() {
        return AppProcess.freePort();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** When {@code start} was called, on the {@link System#nanoTime()} clock. */
    long startedNanos() {
        return startedNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Polls {@code GET path} every few milliseconds until it answers 2xx; returns the
     * {@link System#nanoTime()} of that answer. Fails with the child's log when it exits or the
     * timeout passes.
     */
    long awaitHttp(int port, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            try (var http = Http1.connect(port, Duration.ofSeconds(2))) {
                var r = http.get(path);
                if (r.status() / 100 == 2) {
                    return System.nanoTime();
                }
                last = r.status() + " " + r.bodyText();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(name + " did not answer GET " + path + " on " + port + " with 2xx within "
                + timeout + " (last: " + last + "); its log:\n" + tail());
    }

    /** Resident set size from {@code /proc/<pid>/status}, in bytes. */
    long rssBytes() throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /** Heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes. */
    long heapAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        var info = jcmd("GC.heap_info");
        var m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("cannot read the heap of " + name + " from: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** Runs {@code jcmd <pid> args…} and returns its output (for JFR: {@code JFR.start}, {@code JFR.dump}). */
    String jcmd(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(java().resolveSibling("jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The last lines of the child's log. */
    String tail() {
        try {
            var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The whole log, for a child that prints its result (the baselines do). */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits for a child that ends by itself (a baseline run); fails with its log on a non-zero exit. */
    void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException(name + " did not finish within " + timeout + "; its log:\n" + tail());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit status " + process.exitValue() + ":\n" + tail());
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + "]";
    }
}
