package io.anomalyflow.gateway;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.app.OptionValues;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar gateway.jar [options]}: parses the options ({@code --help} lists them; a bad
 * one exits with status 2 and a message naming it), starts the {@link Gateway} (exit status 1 and
 * the reason when it cannot), logs one start-up line, and closes the gateway gracefully on
 * shutdown (Ctrl-C, SIGTERM).
 */
public final class GatewayMain {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(String[] args) {
        AppLauncher.main(GatewayConfig.OPTIONS, args, GatewayMain::start);
    }

    /** {@link #main} without exiting or a shutdown hook, for tests: the environment and streams are given. */
    static AppLauncher.Launch run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return AppLauncher.launch(GatewayConfig.OPTIONS, args, env, out, err, GatewayMain::start);
    }

    private static Gateway start(OptionValues values) throws GatewayStartException {
        var config = GatewayConfig.from(values);
        // The JDK server's own backstop for a stalled request: it closes the connection a little
        // after the 408 that BodyReader already sent (JVM-wide, so set here and not in Gateway).
        AppLauncher.limitRequestTime(config.readTimeout().plusSeconds(5));
        var gateway = Gateway.start(config);
        LOG.info(gateway.describe());
        return gateway;
    }
}
