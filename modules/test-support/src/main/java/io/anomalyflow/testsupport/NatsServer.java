package io.anomalyflow.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for tests, on a free loopback port with its own temporary store.
 *
 * <p>It can be stopped (SIGTERM), killed ({@code kill -9}), paused (SIGSTOP) and resumed, and
 * started again on the same port and store, which is what fault tests need. The server runs under a
 * tiny shell watchdog whose standard input is a pipe from this JVM: when the JVM exits in any way
 * (a failed test, Ctrl-C, {@code kill -9}), the pipe closes and the watchdog kills the server, so no
 * process is ever left behind. {@link #close()} kills it and deletes the store.
 *
 * <p>The binary is {@code $NATS_SERVER} when set, else {@code nats-server} on the PATH, else
 * {@code /usr/sbin/nats-server} (where Debian's package puts it).
 */
public final class NatsServer implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 15;
    private static final int LOG_LINES_KEPT = 50;

    private final Path binary;
    private final Path storeDir;
    private final int port;
    private final List<String> extraArgs;
    private final ArrayDeque<String> recentLog = new ArrayDeque<>();
    private Process watchdog;
    private long serverPid = -1;

    private NatsServer(Path binary, Path storeDir, int port, List<String> extraArgs) {
        this.binary = binary;
        this.storeDir = storeDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free port with a fresh temporary store. */
    public static NatsServer start() {
        return start(List.of());
    }

    /**
     * Starts a server on a free port with a fresh temporary store and extra command-line arguments
     * (for example a cluster definition). A port taken between choosing and binding is retried.
     */
    public static NatsServer start(List<String> extraArgs) {
        var binary = locateBinary();
        Path store;
        try {
            store = Files.createTempDirectory("anomalyflow-nats-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            var server = new NatsServer(binary, store, AppProcess.freePort(), extraArgs);
            try {
                server.startAgain();
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.kill();
            }
        }
        deleteRecursively(store);
        throw last;
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The JetStream store directory ({@code -sd}); kept across stop/kill and start. */
    public Path storeDir() {
        return storeDir;
    }

    /** The operating-system pid of the running nats-server, or -1 when it is not running. */
    public synchronized long pid() {
        return isRunning() ? serverPid : -1;
    }

    public synchronized boolean isRunning() {
        return serverPid > 0 && ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** (Re)starts the server on the same port and store; waits until it says it is ready. */
    public synchronized void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("nats-server is already running on port " + port);
        }
        var pidFile = storeDir.resolve("nats-server.pid");
        try {
            Files.deleteIfExists(pidFile);
            var script = new String(resource("watchdog.sh"), StandardCharsets.UTF_8);
            var command = new ArrayList<>(List.of("bash", "-c", script, "nats-watchdog",
                    binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-js", "-sd", storeDir.toString(), "-P", pidFile.toString()));
            command.addAll(extraArgs);
            watchdog = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        var ready = new CountDownLatch(1);
        var reader = new Thread(() -> pumpLog(watchdog.getInputStream(), ready), "nats-log-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("nats-server on port " + port
                        + " did not become ready within " + READY_TIMEOUT_SECONDS + " s; its log:\n" + log());
            }
            serverPid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting nats-server", e);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("nats-server wrote no usable pid file; its log:\n" + log(), e);
        }
    }

    /** Graceful stop (SIGTERM), waiting for the process to exit; kill -9 after 10 s. */
    public synchronized void stop() {
        signalAndWait(false);
    }

    /** {@code kill -9}: the server gets no chance to flush or say goodbye. */
    public synchronized void kill() {
        signalAndWait(true);
    }

    /**
     * SIGSTOP: the process stays, its sockets stay open, and it answers nothing. Returns only once
     * every thread of the server is stopped: {@code kill} returns before that, and on a loaded
     * machine a thread of the server was seen answering a new connection just after it.
     */
    public synchronized void pause() {
        sendSignal("STOP");
        awaitThreadStates(true);
    }

    /** SIGCONT after {@link #pause()}; returns once no thread of the server is stopped. */
    public synchronized void resume() {
        sendSignal("CONT");
        awaitThreadStates(false);
    }

    /** Stop then start on the same port and store. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    /** The last lines the server printed (for failure messages). */
    public String log() {
        synchronized (recentLog) {
            return String.join("\n", recentLog);
        }
    }

    /** Kills the server and deletes its store. */
    @Override
    public synchronized void close() {
        kill();
        deleteRecursively(storeDir);
    }

    @Override
    public String toString() {
        return "NatsServer[" + url() + ", store " + storeDir + (isRunning() ? ", running" : ", stopped") + "]";
    }

    private void signalAndWait(boolean forcibly) {
        Optional<ProcessHandle> server = serverPid > 0 ? ProcessHandle.of(serverPid) : Optional.empty();
        server.ifPresent(h -> {
            if (forcibly) {
                h.destroyForcibly();
            } else {
                sendSignal("CONT"); // a paused server cannot act on SIGTERM
                h.destroy();
            }
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        if (watchdog != null) {
            try {
                watchdog.getOutputStream().close(); // EOF: the watchdog ends too
                watchdog.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                watchdog.destroyForcibly();
            }
            watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
            watchdog.destroyForcibly();
        }
        serverPid = -1;
    }

    private void sendSignal(String signal) {
        if (serverPid <= 0) {
            return;
        }
        try {
            var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(serverPid)).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + serverPid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (at most 5 s) until all ({@code stopped}) or none of the server's threads are in state T. */
    private void awaitThreadStates(boolean stopped) {
        var tasks = Path.of("/proc", Long.toString(serverPid), "task");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> threads = Files.list(tasks)) {
                boolean allAsWanted = threads.allMatch(t -> isStopped(t.resolve("stat")) == stopped);
                if (allAsWanted) {
                    return;
                }
            } catch (IOException | UncheckedIOException e) {
                return; // no /proc (not Linux) or the process is gone: nothing to wait for
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("nats-server " + serverPid + " did not " + (stopped ? "stop" : "continue") + " within 5 s");
    }

    private static boolean isStopped(Path stat) {
        try {
            var text = Files.readString(stat);
            // "pid (comm) S ...": the state is the first field after the last ')'
            return text.charAt(text.lastIndexOf(')') + 2) == 'T';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pumpLog(InputStream in, CountDownLatch ready) {
        try (var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (recentLog) {
                    recentLog.addLast(line);
                    if (recentLog.size() > LOG_LINES_KEPT) {
                        recentLog.removeFirst();
                    }
                }
                if (line.contains("Server is ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended; nothing more to read
        }
    }

    static Path locateBinary() {
        var candidates = new ArrayList<Path>();
        var fromEnv = System.getenv("NATS_SERVER");
        if (fromEnv != null && !fromEnv.isBlank()) {
            candidates.add(Path.of(fromEnv));
        }
        var path = System.getenv().getOrDefault("PATH", "");
        for (var dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "nats-server"));
            }
        }
        candidates.add(Path.of("/usr/sbin/nats-server"));
        candidates.add(Path.of("/usr/local/bin/nats-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("nats-server not found (looked at $NATS_SERVER, the PATH and /usr/sbin)."
                        + " Install it with `make setup` (Debian/Ubuntu: apt-get install nats-server),"
                        + " or set NATS_SERVER to its path."));
    }

    static byte[] resource(String name) throws IOException {
        try (var in = NatsServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }
}
