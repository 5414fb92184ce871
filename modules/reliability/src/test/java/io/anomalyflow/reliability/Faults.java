package io.anomalyflow.reliability;

import io.anomalyflow.testsupport.NatsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Small fault helpers that need more than one signal. */
final class Faults {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private Faults() {
    }

    /**
     * SIGSTOP, then waits until every thread of the server really is stopped: the signal is delivered
     * asynchronously, and a thread still running for a moment could answer one more request, which
     * would make "answered while paused" untrue.
     */
    static void pause(NatsServer server) throws InterruptedException {
        server.pause();
        var tasks = Path.of("/proc", Long.toString(server.pid()), "task");
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (!allStopped(tasks)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nats-server " + server.pid() + " not stopped " + STOP_TIMEOUT + " after SIGSTOP");
            }
            Thread.sleep(10);
        }
    }

    private static boolean allStopped(Path tasks) {
        try (var threads = Files.list(tasks)) {
            return threads.allMatch(Faults::isStopped);
        } catch (IOException e) {
            return true; // the process is gone
        }
    }

    private static boolean isStopped(Path task) {
        try {
            var stat = Files.readString(task.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T"); // field 3, after "(comm) "
        } catch (IOException e) {
            return true; // the thread is gone
        }
    }
}
