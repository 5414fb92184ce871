package io.anomalyflow.e2e;

import io.anomalyflow.testsupport.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the apps the way a user does, {@code java -jar modules/<app>/target/<app>.jar …}, as child
 * processes of the test JVM, each a test-support {@link AppProcess} (under the same watchdog as
 * nats-server: not even a killed build leaves a gateway holding a port) with its output in log files
 * under {@code target/e2e-logs/}. {@link #close()} stops every one it started, the last first
 * (SIGTERM, then SIGKILL after a grace period), so a failing test leaves nothing behind.
 */
final class Apps implements AutoCloseable {
    private final Path logs;
    private final List<AppProcess> started = new ArrayList<>();

    Apps(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
    }

    /** The jar of {@code app}; fails with a hint when it was not built. */
    Path jar(String app) {
        return AppProcess.jar(app);
    }

    /** Starts {@code java -jar <app>.jar args…}, stdout and stderr together in {@code <app>-1.log}. */
    AppProcess start(String app, String... args) throws IOException {
        return start(app, false, args);
    }

    /** As {@link #start(String, String...)}; with {@code splitStreams}, stderr goes to {@code <app>-1.err.log}. */
    AppProcess start(String app, boolean splitStreams, String... args) throws IOException {
        var p = AppProcess.start(app, logs, List.of(), List.of(args), splitStreams);
        started.add(p);
        return p;
    }

    /**
     * As {@link #start(String, String...)}, for one of several instances of an app: its logs go to
     * {@code <instance>/<app>-1.log}, so two detectors do not write into one file.
     */
    AppProcess startAs(String instance, String app, String... args) throws IOException {
        var p = AppProcess.start(app, logs.resolve(instance), List.of(), List.of(args), false);
        started.add(p);
        return p;
    }

    /** Waits until {@code url} answers 2xx; fails early when the app's process ended. */
    void awaitHttp(AppProcess app, URI url, Duration timeout) throws InterruptedException {
        app.awaitHttp(url, timeout);
    }

    /** The logs of every app started, for a failure message. */
    String logs() {
        var sb = new StringBuilder();
        for (var p : started) {
            sb.append("\n===== ").append(p.name()).append(" (").append(p.out()).append(") =====\n").append(p.log());
        }
        return sb.toString();
    }

    /** Stops every app, the last started first (sender, client, gateway). */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** A port nobody listens on right now (the app binds it a moment later; on loopback that race is harmless). */
    static int freePort() {
        return AppProcess.freePort();
    }
}
