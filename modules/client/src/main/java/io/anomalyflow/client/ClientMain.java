package io.anomalyflow.client;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.app.OptionValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar client.jar [options]}: parses the options ({@code --help} lists them with their
 * environment variables and defaults; a bad one exits with status 2 and a message naming it), starts
 * the {@link AnomalyClient} (exit status 1 and the reason when it cannot), logs one start-up line
 * saying where it listens and what it reads, and closes the client on shutdown (Ctrl-C, SIGTERM).
 */
public final class ClientMain {
    private static final Logger LOG = LoggerFactory.getLogger(ClientMain.class);
    /**
     * How long a request (its line and headers: the client's requests have no body) may take to
     * arrive before the JDK server closes the connection: the backstop against slowloris, a reader
     * that trickles its headers to hold a connection forever. An SSE stream is a response, which this
     * does not limit.
     */
    private static final Duration REQUEST_TIME = Duration.ofSeconds(10);

    private ClientMain() {
    }

    public static void main(String[] args) {
        AppLauncher.main(ClientConfig.OPTIONS, args, ClientMain::start);
    }

    /** {@link #main} without exiting or a shutdown hook, for tests: the environment and streams are given. */
    static AppLauncher.Launch run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return AppLauncher.launch(ClientConfig.OPTIONS, args, env, out, err, ClientMain::start);
    }

    private static AnomalyClient start(OptionValues values) throws Exception {
        AppLauncher.limitRequestTime(REQUEST_TIME); // JVM-wide, read once: so here and not in AnomalyClient
        var client = AnomalyClient.start(ClientConfig.from(values));
        LOG.info(client.describe());
        return client;
    }
}
