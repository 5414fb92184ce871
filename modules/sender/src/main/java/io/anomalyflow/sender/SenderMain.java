package io.anomalyflow.sender;

import io.anomalyflow.app.AppLauncher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sender.jar …}: sends one run and exits with 0 when every measurement was
 * acknowledged, 1 when not, 2 for a bad option; or, with {@code --serve}, serves the page until
 * stopped. Progress goes to stderr, the summary to stdout (text, or JSON with {@code --json}).
 * Ctrl-C during a run stops it, still prints the summary of what happened, and exits non-zero.
 */
public final class SenderMain {
    /**
     * How long a request to the page may take to arrive (line, headers and body) before the JDK
     * server closes the connection: the backstop against slowloris. 5 s past the 10 s the page gives
     * a run's form to arrive, so a slow form still gets its 408 first.
     */
    private static final Duration REQUEST_TIME = Duration.ofSeconds(15);

    private SenderMain() {
    }

    public static void main(String[] args) {
        var launch = AppLauncher.launch(SenderOptions.OPTIONS, Arrays.asList(args), System.getenv(), System.out, System.err,
                values -> start(SenderOptions.from(values), System.out, System.err));
        switch (launch.app()) {
            case null -> System.exit(launch.status());
            case CliRun cli -> {
                var printed = new CountDownLatch(1);
                // Ctrl-C: stop the run, then give main time to print the summary before the JVM goes
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    cli.close();
                    awaitQuietly(printed, Duration.ofSeconds(5));
                }, "sender-shutdown"));
                int status = cli.finish();
                printed.countDown();
                System.exit(status); // during a shutdown this blocks until the hook is done; the JVM then exits anyway
            }
            default -> Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(launch.app()), "sender-shutdown"));
        }
    }

    /**
     * Runs {@code args} in-process (for tests): the exit status a {@code java -jar} would have. With
     * {@code --serve} the page is started and stopped again at once, so the status says whether it could start.
     */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        var launch = AppLauncher.launch(SenderOptions.OPTIONS, args, env, out, err, values -> start(SenderOptions.from(values), out, err));
        return switch (launch.app()) {
            case null -> launch.status();
            case CliRun cli -> cli.finish();
            default -> {
                closeQuietly(launch.app());
                yield AppLauncher.OK;
            }
        };
    }

    private static AutoCloseable start(SenderOptions options, PrintStream out, PrintStream err) throws Exception {
        if (options.serve()) {
            AppLauncher.limitRequestTime(REQUEST_TIME); // JVM-wide, read once: so here and not in SenderPage
            var page = SenderPage.start(options.bind(), options.port(), options.run(), options.access());
            LoggerFactory.getLogger(SenderMain.class).info("sender page listening on {} (runs go to {})",
                    page.url(), options.run().target());
            return page;
        }
        return new CliRun(options, out, err);
    }

    /** One run on the command line: progress while it runs, the summary at the end. */
    static final class CliRun implements AutoCloseable {
        private final SenderOptions options;
        private final PrintStream out;
        private final SenderRun run;
        private final ConsoleProgress progress;

        CliRun(SenderOptions options, PrintStream out, PrintStream err) {
            this.options = options;
            this.out = out;
            err.printf("sender: %d measurements from %d devices to %s (concurrency %d%s%s)%n",
                    options.run().count(), options.run().devices(), options.run().target(), options.run().concurrency(),
                    options.run().batch() > 1 ? ", batches of " + options.run().batch() : "",
                    options.run().rate() > 0 ? ", " + options.run().rate() + "/s" : "");
            this.run = Sender.start(options.run());
            this.progress = ConsoleProgress.start(run::progress, err, options.progress());
        }

        /** Waits for the end of the run, prints the summary, returns the exit status. */
        int finish() {
            Summary summary = run.completion().join();
            progress.close();
            out.println(options.json() ? summary.toJson() : summary.toText());
            out.flush();
            run.close();
            return summary.exitStatus();
        }

        /** Stops the run early (Ctrl-C); {@link #finish()} then reports what happened. */
        @Override
        public void close() {
            run.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable app) {
        try {
            app.close();
        } catch (Exception e) {
            System.err.println("sender: error while stopping: " + e.getMessage());
        }
    }
}
