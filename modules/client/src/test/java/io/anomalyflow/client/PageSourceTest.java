package io.anomalyflow.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's files as served: self-contained, no HTML-parsing sinks for data, and a strict CSP. */
class PageSourceTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    static String resource(String name) throws IOException {
        try (InputStream in = PageHandler.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theScriptHasNoHtmlSinkAndThePageLoadsNothingFromElsewhere() throws IOException {
        var js = resource("web/app.js");
        var code = Pattern.compile("(?m)^\\s*//.*$").matcher(js).replaceAll(""); // comments may name the sinks
        for (var sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout('", "setTimeout(\"")) {
            assertThat(code).as("app.js uses " + sink).doesNotContain(sink);
        }
        assertThat(code).contains("textContent");
        var html = resource("web/index.html");
        assertThat(html).doesNotContain("http://", "https://", "<script>", "style=\"", "onclick");
        assertThat(html).contains("<script src=\"/app.js\" defer></script>", "<link rel=\"stylesheet\" href=\"/app.css\">");
    }

    @Test
    void theFilesAreServedWithTheirTypesAndAContentSecurityPolicy() throws Exception {
        var client = F.start().client();
        for (var file : List.of(new String[] {"/", "text/html", "web/index.html"},
                new String[] {"/app.js", "text/javascript", "web/app.js"},
                new String[] {"/app.css", "text/css", "web/app.css"})) {
            var r = F.http().get(client.url(), file[0]);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(file[1]));
            assertThat(r.headers().firstValue("Content-Security-Policy")).contains(PageHandler.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.body()).isEqualTo(resource(file[2]));
        }
        assertThat(PageHandler.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline");
    }
}
