package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppLauncherTest {
    private static final Options OPTIONS = Options.builder("demo", "A demo app.")
            .option("port", "PORT", "8081", "<port>", "HTTP port").build();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private AppLauncher.Launch launch(AppLauncher.Starter starter, String... args) {
        return AppLauncher.launch(OPTIONS, List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), starter);
    }

    @Test
    void helpPrintsTheTextAndStartsNothing() {
        var started = new AtomicInteger();
        var l = launch(v -> { started.incrementAndGet(); return () -> { }; }, "--help");
        assertThat(l.status()).isEqualTo(0);
        assertThat(l.app()).isNull();
        assertThat(started).hasValue(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(OPTIONS.help());
    }

    @Test
    void aBadOptionExitsWithTwoAndNamesIt() {
        var l = launch(v -> { v.integer("port", 0, 65535); return () -> { }; }, "--port", "x");
        assertThat(l.status()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("demo: --port: not a number: \"x\"\n").contains("--help");
        assertThat(launch(v -> () -> { }, "--nope").status()).isEqualTo(2);
    }

    @Test
    void aStartFailureExitsWithOneAndSaysWhy() {
        var l = launch(v -> { throw new IOException("cannot connect to NATS", new IOException("Connection refused")); });
        assertThat(l.status()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("demo: could not start: cannot connect to NATS: Connection refused\n");
    }

    @Test
    void aStartedAppIsHandedBack() throws Exception {
        var closed = new AtomicInteger();
        var l = launch(v -> closed::incrementAndGet, "--port", "1");
        assertThat(l.status()).isEqualTo(0);
        l.app().close();
        assertThat(closed).hasValue(1);
        assertThat(err.size()).isZero();
    }
}
