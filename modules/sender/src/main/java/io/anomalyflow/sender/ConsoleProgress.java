package io.anomalyflow.sender;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows a run's {@link Progress} while it runs: a bar redrawn in place with {@code \r} (at most 10
 * times a second) on a terminal, or one plain line every few seconds when the output goes to a file
 * or a pipe (a log must not fill with carriage returns). One daemon thread, stopped by {@link #close()},
 * which also draws the final state.
 */
public final class ConsoleProgress implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode {
        /** A bar on a terminal, plain lines otherwise. */
        AUTO,
        /** A bar redrawn in place. */
        BAR,
        /** A plain line every few seconds. */
        LINES,
        /** Nothing. */
        NONE;

        /** Resolves {@link #AUTO}: a bar only when the console is an interactive, capable terminal. */
        public Mode resolve() {
            if (this != AUTO) {
                return this;
            }
            return isTerminal() && !"dumb".equals(System.getenv("TERM")) ? BAR : LINES;
        }
    }

    static final Duration BAR_INTERVAL = Duration.ofMillis(100);
    static final Duration LINE_INTERVAL = Duration.ofSeconds(2);
    private static final int BAR_WIDTH = 30;

    private final Supplier<Progress> source;
    private final PrintStream out;
    private final Mode mode;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private int lastLength;

    private ConsoleProgress(Supplier<Progress> source, PrintStream out, Mode mode, Duration interval) {
        this.source = Objects.requireNonNull(source, "source");
        this.out = Objects.requireNonNull(out, "out");
        this.mode = mode.resolve();
        this.thread = Thread.ofPlatform().daemon().name("sender-progress").unstarted(() -> loop(interval));
    }

    /**
     * Starts showing progress on {@code out} (normally {@code System.err}, so the summary on stdout
     * stays clean for scripts).
     */
    public static ConsoleProgress start(Supplier<Progress> source, PrintStream out, Mode mode) {
        var resolved = mode.resolve();
        var progress = new ConsoleProgress(source, out, resolved, resolved == Mode.BAR ? BAR_INTERVAL : LINE_INTERVAL);
        if (resolved != Mode.NONE) {
            progress.thread.start();
        }
        return progress;
    }

    /** The mode actually used ({@link Mode#AUTO} resolved). */
    public Mode mode() {
        return mode;
    }

    /** Stops the updates and draws the last state (a bar ends with a newline). */
    @Override
    public void close() {
        if (mode == Mode.NONE || stop.getCount() == 0) {
            return;
        }
        stop.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop(Duration interval) {
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                draw(source.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw(source.get());
        if (mode == Mode.BAR) {
            out.println();
        }
        out.flush();
    }

    private void draw(Progress p) {
        if (mode == Mode.BAR) {
            var bar = bar(p);
            // pad over the rest of a longer previous line instead of relying on ANSI erase codes
            out.print("\r" + bar + " ".repeat(Math.max(0, lastLength - bar.length())));
            lastLength = bar.length();
        } else {
            out.println(line(p));
        }
        out.flush();
    }

    /** One bar, e.g. {@code [#######.......]  47%  4700/10000  acked 4690  rejected 0  failed 0  2345/s  2.0s}. */
    static String bar(Progress p) {
        int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d  acked %d  rejected %d  failed %d  retries %d  %.0f/s  %.1fs",
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), Math.round(p.fraction() * 100), p.finished(), p.total(),
                p.acknowledged(), p.rejected(), p.failed(), p.retries(), p.rate(), p.elapsed().toMillis() / 1000.0);
    }

    /** One plain progress line for logs. */
    static String line(Progress p) {
        return String.format(Locale.ROOT,
                "progress: %d/%d done (%d%%), sent %d, acknowledged %d, rejected %d, failed %d, retries %d, in flight %d, %.0f/s, %.1f s",
                p.finished(), p.total(), Math.round(p.fraction() * 100), p.sent(), p.acknowledged(), p.rejected(),
                p.failed(), p.retries(), p.inFlight(), p.rate(), p.elapsed().toMillis() / 1000.0);
    }

    /**
     * Whether stdin/stdout are an interactive terminal. From JDK 22 {@link System#console()} returns a
     * console even when redirected, and {@code Console.isTerminal()} tells the truth; we build for
     * release 21, so that method is looked up reflectively and {@code console() != null} is the
     * JDK 21 answer.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
