package io.anomalyflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page at {@code /} in a real headless Chromium, driven over the DevTools protocol: anomalies
 * published into the stream appear in its DOM (newest first), the device filter reconnects the
 * stream and shows one device only, and values are rendered as text.
 *
 * <p>About the escaping check: the wire contract's deviceId alphabet ({@code A–Z a–z 0–9 _ . : -}) holds no
 * markup character, and the client refuses anything else at the decoder, so no deviceId with HTML can
 * reach the page through the stream (the poison-message test proves the refusal). What this test
 * proves in addition is that the page itself would not be fooled if one did: it feeds an anomaly
 * whose deviceId and description are markup through the same function the stream handler uses
 * ({@code receive} → batched {@code flush} → {@code textContent}) and finds the text shown verbatim,
 * no element created and no script run. {@link PageSourceTest} checks statically that the script
 * has no HTML-parsing sink at all, and that the page is served with a CSP that forbids inline script.
 */
class PageBrowserTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;

    /** {@code [[seq, device], …]} of the table, top to bottom. */
    static final String ROWS = "JSON.stringify([...document.querySelectorAll('#rows tr')]"
            + ".map(tr => [Number(tr.dataset.seq), tr.querySelector('.device').textContent]))";

    static List<Long> seqs(JsonNode rowsJson) throws Exception {
        var seqs = new ArrayList<Long>();
        for (var row : Http.parse(rowsJson.asText())) {
            seqs.add(row.get(0).asLong());
        }
        return seqs;
    }

    @Test
    void postedAnomaliesAppearAndTheDeviceFilterWorks() throws Exception {
        var binary = Chromium.find();
        assumeTrue(binary.isPresent(), "chromium not found (set CHROMIUM or run make setup-test): page test skipped");

        var started = F.start();
        var client = started.client();
        var nats = F.nats();
        var names = new String[] {started.stream(), started.subject()};
        try (var browser = Chromium.launch(binary.get())) {
            long a1 = nats.measurement(names[1], "alpha", "3.5");
            nats.measurement(names[1], "alpha", "55");
            long b1 = nats.measurement(names[1], "beta", "20");

            browser.navigate(client.url().resolve("/"));
            await().atMost(WAIT).until(() -> seqs(browser.eval(ROWS)).equals(List.of(b1, a1)));
            await().atMost(WAIT).until(() -> browser.eval("document.getElementById('status').dataset.state").asText()
                    .equals("live"));

            long a2 = nats.measurement(names[1], "alpha", "-1");
            await().atMost(WAIT).until(() -> seqs(browser.eval(ROWS)).equals(List.of(a2, b1, a1)));
            assertThat(browser.eval("document.querySelector('#rows tr .value').textContent").asText()).isEqualTo("-1");
            assertThat(browser.eval("document.getElementById('total').textContent").asText()).isEqualTo("3");
            assertThat(browser.eval("JSON.stringify([...document.querySelectorAll('#counts li')]"
                    + ".map(li => [li.dataset.device, li.querySelector('.n').textContent]))").asText())
                    .isEqualTo("[[\"alpha\",\"2\"],[\"beta\",\"1\"]]");
            saveScreenshot(browser, "page-all.png");

            // typing a device reconnects the stream (after the debounce) with ?deviceId=beta
            typeFilter(browser, "beta");
            await().atMost(WAIT).until(() -> seqs(browser.eval(ROWS)).equals(List.of(b1)));
            assertThat(browser.eval("location.search").asText()).isEqualTo("?deviceId=beta");
            nats.measurement(names[1], "alpha", "1");
            long b2 = nats.measurement(names[1], "beta", "2");
            await().atMost(WAIT).until(() -> seqs(browser.eval(ROWS)).equals(List.of(b2, b1)));

            // an invalid filter is flagged and does not reconnect
            typeFilter(browser, "be ta");
            await().atMost(WAIT).until(() -> !browser.eval("document.getElementById('device-error').hidden").asBoolean());
            assertThat(seqs(browser.eval(ROWS))).containsExactly(b2, b1);

            // back to all devices
            typeFilter(browser, "");
            await().atMost(WAIT).until(() -> seqs(browser.eval(ROWS)).size() == 5); // 3.5, 20, -1, 1, 2

            // markup in data stays text (see the class comment for what this proves)
            String markup = "<img src=x onerror=\"window.__xss=1\"><b>x</b>";
            browser.eval("anomalyflowPage.receive({seq: 1e12, timestamp: '2026-11-26T12:00:00Z', deviceId: '"
                    + markup.replace("\"", "\\\"") + "', measurementValue: 1,"
                    + " anomaly: '<script>window.__xss=2</script>'}); anomalyflowPage.flush(); true");
            await().atMost(WAIT).until(() -> browser.eval("document.querySelector('#rows tr .device').textContent")
                    .asText().equals(markup));
            assertThat(browser.eval("document.querySelector('#rows tr .anomaly').textContent").asText())
                    .isEqualTo("<script>window.__xss=2</script>");
            assertThat(browser.eval("document.querySelectorAll('#rows img, #rows b, #rows script, #counts img, #counts b').length")
                    .asInt()).isZero();
            assertThat(browser.eval("[...document.querySelectorAll('#counts li')].some(li => li.dataset.device === '"
                    + markup.replace("\"", "\\\"") + "')").asBoolean()).isTrue();
            assertThat(browser.eval("typeof window.__xss").asText()).isEqualTo("undefined");
        }
    }

    private static void typeFilter(Chromium browser, String text) throws Exception {
        browser.eval("(() => { const i = document.getElementById('device'); i.value = '" + text + "';"
                + " i.dispatchEvent(new Event('input', {bubbles: true})); return true; })()");
    }

    private static void saveScreenshot(Chromium browser, String name) throws Exception {
        var dir = Path.of("target");
        if (Files.isDirectory(dir)) {
            Files.write(dir.resolve(name), browser.screenshot());
        }
    }
}
