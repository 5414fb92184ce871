package io.anomalyflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every system scenario shares: the project root (for the app jars), the log directory, the
 * NATS server of the run (its URL and process id), and whether this is a {@code --quick} smoke run. It starts the apps the
 * way a user does, {@code java -jar modules/<app>/target/<app>.jar --flag value…}, each on a port
 * of its own and, where it writes or reads, on a stream of its own, so one scenario's messages never
 * reach another's numbers.
 */
record Rig(Path root, Path logs, String natsUrl, long natsPid, boolean quick) {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    Path appJar(String app) {
        var jar = root.resolve("modules").resolve(app).resolve("target").resolve(app + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (make bench does: mvn -DskipTests package)");
        }
        return jar;
    }

    /** A gateway writing to {@code stream} (which it creates) on {@code subject}; returns once it answers /health. */
    Child gateway(String name, int port, String stream, String subject) throws IOException, InterruptedException {
        var g = Child.jar(name, appJar("gateway"), logs, List.of("--port", Integer.toString(port), "--nats", natsUrl,
                "--stream", stream, "--subject", subject));
        return ready(g, port, "/health");
    }

    /** A client reading {@code stream}/{@code subject} from {@code replay} ({@code all}, {@code new}, {@code ttl}); returns once it answers /health. */
    Child client(String name, int port, String stream, String subject, String replay, String... more)
            throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of("--port", Integer.toString(port), "--nats", natsUrl, "--stream", stream,
                "--subject", subject, "--replay", replay));
        args.addAll(List.of(more));
        return ready(Child.jar(name, appJar("client"), logs, args), port, "/health");
    }

    /** A baseline server ({@link BaselineServer}) in its own JVM; returns once it answers /health. */
    Child baseline(String name, int port, String... args) throws IOException, InterruptedException {
        var all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--port", Integer.toString(port)));
        return ready(Child.main(name, BaselineServer.class, logs, all), port, "/health");
    }

    private static Child ready(Child child, int port, String path) throws InterruptedException {
        try {
            child.awaitHttp(port, path, START_TIMEOUT);
            return child;
        } catch (RuntimeException | InterruptedException e) {
            child.close();
            throw e;
        }
    }

    /** {@code full} normally, {@code quick} in a smoke run. */
    Duration time(Duration full, Duration quick) {
        return quick() ? quick : full;
    }

    int size(int full, int quick) {
        return quick() ? quick : full;
    }
}
