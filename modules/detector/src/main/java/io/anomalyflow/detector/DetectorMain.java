package io.anomalyflow.detector;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.app.OptionValues;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar detector.jar [options]}: parses the options ({@code --help} lists them; a bad one
 * exits with status 2 and a message naming it), starts the {@link Detector} (exit status 1 and the
 * reason when it cannot), logs one start-up line, and closes it gracefully on shutdown (Ctrl-C, SIGTERM).
 */
public final class DetectorMain {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorMain.class);
    /**
     * How long a request (its line and headers: {@code /health} and {@code /metrics} have no body)
     * may take to arrive before the JDK server closes the connection: the backstop against slowloris,
     * a caller that trickles its headers to hold a connection and a thread for as long as it likes.
     */
    private static final Duration REQUEST_TIME = Duration.ofSeconds(10);

    private DetectorMain() {
    }

    public static void main(String[] args) {
        AppLauncher.main(DetectorConfig.OPTIONS, args, DetectorMain::start);
    }

    /** {@link #main} without exiting or a shutdown hook, for tests: the environment and streams are given. */
    static AppLauncher.Launch run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return AppLauncher.launch(DetectorConfig.OPTIONS, args, env, out, err, DetectorMain::start);
    }

    private static Detector start(OptionValues values) throws DetectorStartException {
        AppLauncher.limitRequestTime(REQUEST_TIME); // JVM-wide, read once: so here and not in Detector
        var detector = Detector.start(DetectorConfig.from(values));
        LOG.info(detector.describe());
        return detector;
    }
}
