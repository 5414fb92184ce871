package io.anomalyflow.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every {@code main} does, once: parse the options, print {@code --help}, turn a bad option
 * into a message and exit status 2, start the app, turn a start failure into a message and status 1,
 * and close the app on shutdown (Ctrl-C, SIGTERM).
 *
 * <p>{@link #launch} does all but exiting and the shutdown hook, with injected environment and
 * streams, so tests run it in-process; {@link #main} adds those two.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     AppLauncher.main(GatewayConfig.OPTIONS, args, values -> Gateway.start(GatewayConfig.from(values)));
 * }
 * }</pre>
 */
public final class AppLauncher {
    /** Exit status for {@code --help}. */
    public static final int OK = 0;
    /** Exit status when the app could not start (NATS unreachable, port taken …). */
    public static final int START_FAILED = 1;
    /** Exit status for a bad command line or environment. */
    public static final int BAD_OPTIONS = 2;

    private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    /** Starts the app from its parsed options; the returned handle stops it. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable start(OptionValues values) throws Exception;
    }

    /** How {@link #launch} ended: an exit status, and the running app when it started (status 0). */
    public record Launch(int status, AutoCloseable app) {
    }

    private AppLauncher() {
    }

    /**
     * Parses {@code args} with {@code env}, then prints help to {@code out}, or an error to
     * {@code err}, or starts the app.
     */
    public static Launch launch(Options options, List<String> args, Map<String, String> env,
                                PrintStream out, PrintStream err, Starter starter) {
        Objects.requireNonNull(starter, "starter");
        try {
            var values = options.parse(args, env);
            if (values.helpRequested()) {
                out.print(values.help());
                out.flush();
                return new Launch(OK, null);
            }
            return new Launch(OK, starter.start(values));
        } catch (OptionException e) {
            err.println(options.program() + ": " + e.getMessage());
            err.println("Run with --help to see every option.");
            return new Launch(BAD_OPTIONS, null);
        } catch (Exception e) {
            err.println(options.program() + ": could not start: " + messages(e));
            return new Launch(START_FAILED, null);
        }
    }

    /**
     * The whole {@code main}: {@link #launch} with the process environment, {@code System.exit} with
     * its status unless the app started, and a shutdown hook that closes the app when it did.
     */
    public static void main(Options options, String[] args, Starter starter) {
        var launch = launch(options, Arrays.asList(args), System.getenv(), System.out, System.err, starter);
        if (launch.app() == null) {
            System.exit(launch.status());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                launch.app().close();
            } catch (Exception e) {
                System.err.println(options.program() + ": error while stopping: " + messages(e));
            }
        }, options.program() + "-shutdown"));
    }

    /**
     * Makes the JDK HTTP server close connections whose request (headers and body) takes longer
     * than {@code limit}, unless the property {@code sun.net.httpserver.maxReqTime} is already set.
     * It is a JVM-wide setting read once, when the first {@code HttpServer} is created, so only a
     * {@code main} should call it, before starting anything. It is the backstop that frees the
     * thread of a client that stalls in the middle of a body; {@link BodyReader} answers such a
     * client with a 408 before that. Whole seconds, rounded up.
     */
    public static void limitRequestTime(Duration limit) {
        if (System.getProperty(MAX_REQ_TIME) == null) {
            System.setProperty(MAX_REQ_TIME, Long.toString(Math.max(1, (limit.toMillis() + 999) / 1000)));
        }
    }

    /** The messages of {@code e} and its causes, joined: "a: b: c", skipping repeats. */
    static String messages(Throwable e) {
        var sb = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            var m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (last == null || !last.contains(m)) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m);
            }
            last = m;
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
