package io.anomalyflow.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real browser's {@code EventSource} (headless Chromium) against a client that stops and starts
 * again: it must never be told anything that makes it give up, and the page must resume by itself.
 */
class PageRestartBrowserTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    private static final String READY_STATE = "String(window.__es.readyState) + ':' + window.__errors";

    @Test
    void anEventSourceThatReconnectsWhileTheClientClosesKeepsTrying() throws Exception {
        var binary = Chromium.find();
        assumeTrue(binary.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");
        var client = F.start().client();
        try (var browser = Chromium.launch(binary.get())) {
            browser.navigate(client.url().resolve("/"));
            browser.eval("window.__errors = 0; window.__es = new EventSource('/anomalies/stream');"
                    + " window.__es.onerror = () => window.__errors++; true");
            await().atMost(ClientFixture.WAIT).until(() -> browser.eval("window.__es.readyState").asInt() == 1); // OPEN

            client.stopStreaming(); // the first step of close(): the server still listens

            // each stream it gets ends, and it tries again after retry: (1 s); a 503 would close it for good
            await().atMost(ClientFixture.WAIT).until(() -> {
                var state = browser.eval(READY_STATE).asText();
                return state.startsWith("2:") || Integer.parseInt(state.substring(2)) >= 3;
            });
            assertThat(browser.eval(READY_STATE).asText()).as("readyState:errors; 2 is CLOSED").doesNotStartWith("2:");
        }
    }

    @Test
    void thePageResumesByItselfAfterTheClientRestartsOnTheSamePort() throws Exception {
        var binary = Chromium.find();
        assumeTrue(binary.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");
        var s = F.start();
        var first = s.client();
        var nats = F.nats();
        var seqs = new ArrayList<Long>();
        seqs.add(nats.measurement(s.subject(), "p", "1"));
        seqs.add(nats.measurement(s.subject(), "p", "2"));
        try (var browser = Chromium.launch(binary.get())) {
            browser.navigate(first.url().resolve("/"));
            await().atMost(ClientFixture.WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS))
                    .equals(seqs.reversed()));

            first.close();
            await().atMost(ClientFixture.WAIT).until(() -> status(browser).equals("connecting"));
            seqs.add(nats.measurement(s.subject(), "p", "3")); // while no client runs
            var second = F.closeAfterTest(AnomalyClient.start(first.config().toBuilder().port(first.port()).build()));
            seqs.add(nats.measurement(s.subject(), "p", "4"));

            await().atMost(ClientFixture.WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS)).size() >= 4);
            assertThat(PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS))).as("each once, newest first")
                    .isEqualTo(seqs.reversed());
            assertThat(status(browser)).isEqualTo("live");
            assertThat(second.isReading()).isTrue();
        }
    }

    private static String status(Chromium browser) throws Exception {
        return browser.eval("document.getElementById('status').dataset.state").asText();
    }
}
