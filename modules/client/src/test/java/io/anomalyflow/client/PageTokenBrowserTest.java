package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The page of a client with a token, in a real headless Chromium: it asks for the token, says so
 * when it is wrong, trades the right one for a session cookie that no script can read, then shows
 * the stream's anomalies; the token itself is kept nowhere in the page.
 */
class PageTokenBrowserTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;
    private static final String TOKEN = "page-s3cret";

    @Test
    void thePageAsksForTheTokenOnceThenStreams() throws Exception {
        var binary = Chromium.find();
        assumeTrue(binary.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");
        var started = F.start(b -> b.token(TOKEN));
        long seq = F.nats().measurement(started.subject(), "gamma", "4");
        try (var browser = Chromium.launch(binary.get())) {
            browser.navigate(started.client().url().resolve("/"));
            await().atMost(WAIT).until(() -> !browser.eval("document.getElementById('login').hidden").asBoolean());
            assertThat(browser.eval("document.getElementById('status').dataset.state").asText()).isEqualTo("closed");

            submit(browser, "not-it");
            await().atMost(WAIT).until(() -> browser.eval("document.getElementById('login-error').textContent").asText()
                    .equals("wrong token (POST /session wants Authorization: Bearer <token>)"));

            submit(browser, TOKEN);
            await().atMost(WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS)).equals(List.of(seq)));
            await().atMost(WAIT).until(() -> browser.eval("document.getElementById('status').dataset.state").asText()
                    .equals("live"));
            assertThat(browser.eval("document.getElementById('login').hidden").asBoolean()).isTrue();
            assertThat(browser.eval("document.cookie").asText()).as("HttpOnly: no script reads the session").isEmpty();
            assertThat(browser.eval("document.getElementById('token').value").asText()).isEmpty();
            long next = F.nats().measurement(started.subject(), "gamma", "5");
            await().atMost(WAIT).until(() -> PageBrowserTest.seqs(browser.eval(PageBrowserTest.ROWS)).equals(List.of(next, seq)));
        }
    }

    private static void submit(Chromium browser, String token) throws Exception {
        browser.eval("(() => { document.getElementById('token').value = '" + token + "';"
                + " document.getElementById('login').requestSubmit(); return true; })()");
    }
}
