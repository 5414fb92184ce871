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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
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
 * <p>Started with a {@link NatsServerConfig} ({@link #start(NatsServerConfig)}) it runs from a
 * generated configuration file: TLS, users or a token, a JetStream storage limit, a given store
 * directory; {@link #reconfigure} rewrites that file and has the server reload it while it runs.
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
    private final Path configFile;
    private final boolean ownsStore;
    private final ArrayDeque<String> recentLog = new ArrayDeque<>();
    private final BlockingQueue<String> reloadOutcomes = new LinkedBlockingQueue<>();
    private volatile NatsServerConfig config;
    private Process watchdog;
    private long serverPid = -1;

    private NatsServer(Path binary, Path storeDir, boolean ownsStore, Path configFile, int port, NatsServerConfig config) {
        this.binary = binary;
        this.storeDir = storeDir;
        this.ownsStore = ownsStore;
        this.configFile = configFile;
        this.port = port;
        this.config = config;
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
        return start(NatsServerConfig.defaults().withExtraArgs(extraArgs));
    }

    /**
     * Starts a server on a free port as {@code config} says (TLS, authentication, limits, store);
     * its configuration file lives in a temporary directory of its own, outside the store, so a
     * full store does not stop a reload.
     */
    public static NatsServer start(NatsServerConfig config) {
        var binary = locateBinary();
        Path store;
        Path configDir;
        try {
            store = config.storeDir() != null ? config.storeDir() : Files.createTempDirectory("anomalyflow-nats-");
            configDir = Files.createTempDirectory("anomalyflow-nats-conf-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            var server = new NatsServer(binary, store, config.storeDir() == null, configDir.resolve("nats-server.conf"),
                    AppProcess.freePort(), config);
            try {
                server.startAgain();
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.kill();
            }
        }
        if (config.storeDir() == null) {
            deleteRecursively(store);
        }
        deleteRecursively(configDir);
        throw last;
    }

    /** {@code nats://127.0.0.1:<port>}, or {@code tls://…} when the server speaks TLS. */
    public String url() {
        return (config.tls() != null ? "tls" : "nats") + "://127.0.0.1:" + port;
    }

    /** What the server runs with now (the last {@link #reconfigure} included). */
    public NatsServerConfig config() {
        return config;
    }

    /**
     * Writes {@code newConfig} into the configuration file and has the running server reload it
     * ({@code nats-server --signal reload=PID}); returns once the server says it reloaded. A user
     * removed this way loses its connections at once. The store directory cannot change.
     *
     * @throws IllegalStateException when the server reports the reload failed, or says nothing within 15 s
     */
    public synchronized void reconfigure(NatsServerConfig newConfig) {
        if (!config.needsFile() || !newConfig.needsFile()) {
            throw new IllegalArgumentException("only a server started from a configuration file can reload one");
        }
        config = newConfig; // the store stays where it is: render() is always given storeDir
        writeConfigFile();
        reloadOutcomes.clear();
        try {
            var reload = new ProcessBuilder(binary.toString(), "--signal", "reload=" + serverPid).inheritIO().start();
            if (!reload.waitFor(10, TimeUnit.SECONDS) || reload.exitValue() != 0) {
                throw new IllegalStateException("nats-server --signal reload=" + serverPid + " failed");
            }
            var outcome = reloadOutcomes.poll(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (outcome == null || outcome.contains("Failed")) {
                throw new IllegalStateException("nats-server did not reload its configuration: " + outcome + "\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reloading nats-server", e);
        }
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
        // beside the configuration, not in the store: a test may fill the store's file system
        var pidFile = configFile.resolveSibling("nats-server.pid");
        try {
            Files.deleteIfExists(pidFile);
            var script = new String(resource("watchdog.sh"), StandardCharsets.UTF_8);
            var command = new ArrayList<>(List.of("bash", "-c", script, "nats-watchdog",
                    binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-P", pidFile.toString()));
            if (config.needsFile()) {
                // the store goes in the file too: nats-server refuses to reload a file when -sd was given
                writeConfigFile();
                command.addAll(List.of("-c", configFile.toString()));
            } else {
                command.addAll(List.of("-js", "-sd", storeDir.toString()));
            }
            command.addAll(config.extraArgs());
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

    /** Kills the server and deletes its store (unless it was given) and its configuration file. */
    @Override
    public synchronized void close() {
        kill();
        if (ownsStore) {
            deleteRecursively(storeDir);
        }
        deleteRecursively(configFile.getParent());
    }

    @Override
    public String toString() {
        return "NatsServer[" + url() + ", store " + storeDir + (isRunning() ? ", running" : ", stopped") + "]";
    }

    private void writeConfigFile() {
        try {
            Files.writeString(configFile, config.render(storeDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
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
                } else if (line.contains("Reloaded server configuration") || line.contains("Failed to reload")) {
                    reloadOutcomes.add(line);
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
