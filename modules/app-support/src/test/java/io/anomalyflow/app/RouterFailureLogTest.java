package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The default failure listener: a client that went away (an I/O failure) is no error, so a storm of
 * dropped connections cannot flood the log (the reliability suite's connection storm wrote 500 000
 * lines before); a handler's bug still is one, with its stack trace.
 */
class RouterFailureLogTest {

    @Test
    void anIoFailureIsLoggedAtDebugWithoutATraceAndABugAtErrorWithOne() throws Exception {
        var records = new CopyOnWriteArrayList<LogRecord>();
        var logger = Logger.getLogger(Router.class.getName()); // System.Logger goes to java.util.logging here
        var handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var level = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        var router = Router.builder()
                .get("/gone", ex -> {
                    throw new IOException("the client went away");
                })
                .get("/bug", ex -> {
                    throw new IllegalStateException("a bug");
                })
                .build();
        try (var server = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, Duration.ofSeconds(1));
             var client = HttpClient.newHttpClient()) {
            for (var path : List.of("/gone", "/bug")) {
                var r = client.send(HttpRequest.newBuilder(server.url().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(500);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> records.size() >= 2);
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
        var gone = records.stream().filter(r -> r.getMessage().contains("/gone")).findFirst().orElseThrow();
        assertThat(gone.getLevel()).isEqualTo(Level.FINE);
        assertThat(gone.getThrown()).isNull();
        assertThat(gone.getMessage()).contains("the client went away");
        var bug = records.stream().filter(r -> r.getMessage().contains("/bug")).findFirst().orElseThrow();
        assertThat(bug.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(bug.getThrown()).isInstanceOf(IllegalStateException.class);
    }
}
