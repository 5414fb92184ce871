package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Routes with a variable path part ({@code /items/{id}/parts}), matched by a whole-path pattern. */
class RouterPatternTest {
    @Test
    void aPatternRouteServesMatchingPathsAfterTheExactOnes() throws Exception {
        var router = Router.builder()
                .get("/items/all/parts", ex -> Responses.json(ex, 200, "\"exact\""))
                .get(Pattern.compile("/items/([^/]+)/parts"), ex -> Responses.json(ex, 200,
                        Json.quote(ex.getRequestURI().getRawPath())))
                .build();
        try (var server = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, Duration.ofSeconds(1));
             var client = HttpClient.newHttpClient()) {
            assertThat(get(client, server, "/items/all/parts").body()).isEqualTo("\"exact\"");
            assertThat(get(client, server, "/items/7/parts").body()).isEqualTo("\"/items/7/parts\"");
            assertThat(get(client, server, "/items/7/parts/x").statusCode()).isEqualTo(404); // whole path only
            assertThat(get(client, server, "/items//parts").statusCode()).isEqualTo(404);
            var post = client.send(HttpRequest.newBuilder(server.url().resolve("/items/7/parts"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        }
    }

    @Test
    void theSamePatternAndMethodCannotBeRoutedTwice() {
        var builder = Router.builder().get(Pattern.compile("/a/(.+)"), ex -> { });
        assertThatThrownBy(() -> builder.get(Pattern.compile("/a/(.+)"), ex -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a/(.+)");
    }

    private static HttpResponse<String> get(HttpClient client, WebServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
