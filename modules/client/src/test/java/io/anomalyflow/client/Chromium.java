package io.anomalyflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: just
 * enough to open a page, run JavaScript in it and read values back. The browser runs in a temporary
 * profile and is killed (with its child processes) on {@link #close()}.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final HttpClient http;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, HttpClient http, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.http = http;
        this.socket = socket;
    }

    /** The browser binary: {@code $CHROMIUM}, or chromium / chromium-browser / google-chrome on the PATH. */
    static Optional<Path> find() {
        var candidates = new ArrayList<Path>();
        var env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (var dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                for (var name : List.of("chromium", "chromium-browser", "google-chrome")) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts a headless browser on {@code about:blank} and attaches to its page. */
    static Chromium launch(Path binary) throws Exception {
        var profile = Files.createTempDirectory("client-chromium-");
        var process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--no-default-browser-check", "--window-size=1280,900",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        var http = HttpClient.newHttpClient();
        try {
            int port = devToolsPort(profile, process);
            var targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            String wsUrl = null;
            for (var t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    wsUrl = t.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (wsUrl == null) {
                throw new IllegalStateException("chromium has no page target: " + targets);
            }
            var holder = new Chromium[1];
            var listener = new Listener(holder);
            var socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), listener).get(30, TimeUnit.SECONDS);
            holder[0] = new Chromium(process, profile, http, socket);
            return holder[0];
        } catch (Exception | Error e) {
            kill(process);
            http.close();
            deleteRecursively(profile);
            throw e;
        }
    }

    /** Calls a DevTools method and returns its {@code result}. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        var request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", params);
        var reply = new CompletableFuture<JsonNode>();
        calls.put(id, reply);
        socket.sendText(JSON.writeValueAsString(request), true).get(30, TimeUnit.SECONDS);
        var answer = reply.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    void navigate(URI url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
    }

    /** Evaluates {@code expression} in the page and returns its value as JSON (an exception fails). */
    JsonNode eval(String expression) throws Exception {
        var result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the page as the browser renders it. */
    byte[] screenshot() throws Exception {
        var data = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).get("data").asText();
        return java.util.Base64.getDecoder().decode(data);
    }

    @Override
    public void close() {
        socket.abort();
        kill(process);
        http.close();
        deleteRecursively(profile);
    }

    private void received(String text) {
        try {
            var message = JSON.readTree(text);
            if (message.has("id")) {
                var call = calls.remove(message.get("id").asInt());
                if (call != null) {
                    call.complete(message);
                }
            }
        } catch (IOException e) {
            // not JSON: not ours to answer
        }
    }

    /** Chromium writes its chosen port into DevToolsActivePort in the profile once it listens. */
    private static int devToolsPort(Path profile, Process process) throws Exception {
        var file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + ": "
                        + Files.readString(profile.resolve("chromium.log")));
            }
            if (Files.exists(file)) {
                var lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return Integer.parseInt(lines.getFirst().trim());
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium did not open its DevTools port within " + START_TIMEOUT);
    }

    private static void kill(Process process) {
        var children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }

    /** Joins a message's fragments, then hands it to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(Chromium[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                var text = partial.toString();
                partial.setLength(0);
                if (owner[0] != null) {
                    owner[0].received(text);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
