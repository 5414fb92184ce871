package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page's script in a real browser: headless Chromium loads {@code /}, which fetches the defaults
 * and the last run and renders its summary. Proves the script runs and the endpoints fit it; skipped
 * only when no Chromium is installed ({@code make setup-test} installs one; {@code CHROMIUM} names another),
 * and then reported as skipped (a JUnit assumption), never as passed.
 */
class SenderPageBrowserTest {

    @Test
    void thePageShowsTheLastRunsSummary() throws Exception {
        var chromium = chromium();
        assumeTrue(chromium.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");
        try (var gateway = FakeGateway.start(0);
             var page = SenderPage.start(InetAddress.getLoopbackAddress(), 0,
                     SenderConfig.builder().gateway(gateway.url()).count(123).build())) {
            var run = page.start(SenderConfig.builder().gateway(gateway.url()).count(77).build());
            run.await(Duration.ofSeconds(60));
            var dom = dumpDom(chromium.get(), page.url().toString());
            assertThat(dom).contains("<span id=\"state\">all acknowledged</span>")
                    .contains("<b id=\"n-acknowledged\">77</b>")
                    .contains("run " + run.runId())
                    .contains("All 77 measurements acknowledged.");
        }
    }

    private static String dumpDom(Path chromium, String url) throws Exception {
        var profile = Files.createTempDirectory("sender-chromium");
        try {
            var process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            var dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return dom;
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Optional<Path> chromium() {
        var named = System.getenv("CHROMIUM");
        if (named != null && Files.isExecutable(Path.of(named))) {
            return Optional.of(Path.of(named));
        }
        for (var dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (var name : List.of("chromium", "chromium-browser", "google-chrome")) {
                var candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
