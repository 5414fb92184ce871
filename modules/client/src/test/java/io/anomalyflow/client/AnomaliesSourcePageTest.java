package io.anomalyflow.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page of a {@code --source anomalies} client in a real headless Chromium: the events' seq
 * values are out of order (several detectors), and the page shows every one, newest on top, since
 * it tells a repeated event by its position (the SSE id), not by its seq.
 */
class AnomaliesSourcePageTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;

    @Test
    void thePageShowsEveryEventWhateverTheOrderOfItsSeq() throws Exception {
        var binary = Chromium.find();
        assumeTrue(binary.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");
        var s = F.startAnomalies(true, b -> b);
        var detector = new DetectorEvents(F.nats());
        try (var browser = Chromium.launch(binary.get())) {
            detector.appendAll(s.subject(), List.of(DetectorEvents.event(5, "x"),
                    DetectorEvents.event(260, "y")));
            browser.navigate(s.client().url().resolve("/"));
            await().atMost(WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS)).equals(List.of(260L, 5L)));
            await().atMost(WAIT).until(() -> browser.eval("document.getElementById('status').dataset.state").asText()
                    .equals("live"));

            detector.appendAll(s.subject(), List.of(DetectorEvents.event(9, "x"),
                    DetectorEvents.event(3, "y")));
            await().atMost(WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS))
                    .equals(List.of(3L, 9L, 260L, 5L)));
            await().atMost(WAIT).until(() -> browser.eval("document.getElementById('total').textContent").asText()
                    .equals("4"));
        }
    }
}
