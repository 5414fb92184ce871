package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * SSE readers across a restart of the client (real nats-server, real HTTP): their streams end in a
 * way a browser's {@code EventSource} retries, and they come back by themselves and resume.
 */
class ClientRestartSseTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    private final TestNats nats = F.nats();
    private final Http http = F.http();

    @Test
    void aStreamAskedForWhileTheClientClosesIsAnsweredSoThatTheReaderRetries() throws Exception {
        var s = F.start();
        var open = F.closeAfterTest(SseReader.open(s.client().url(), "/anomalies/stream", java.util.Map.of()));
        assertThat(open.status()).isEqualTo(200);

        s.client().stopStreaming(); // the first step of close(): the server still listens

        assertThat(open.awaitEnd(ClientFixture.WAIT)).as("an open stream ends").isTrue();
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(s.client().url().resolve("/anomalies/stream"))
                    .timeout(ClientFixture.WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("an EventSource gives up for good on anything but 200").isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(response.body()).as("told when to come back, then the stream ends").isEqualTo("retry: 1000\n\n");
        }
    }

    @Test
    void readersComeBackByThemselvesAfterARestartOnTheSamePortAndResumeWithoutGapOrDuplicate() throws Exception {
        var s = F.start();
        var first = s.client();
        var seqs = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            seqs.add(nats.measurement(s.subject(), "r", Integer.toString(i)));
        }
        var reader = F.closeAfterTest(new ReconnectingReader(first.url(), "/anomalies/stream", null));
        reader.await(ClientFixture.WAIT, events -> events.size() == 3);

        first.close();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(first.url().getHost(), first.port()), 10_000))
                .as("a stopped client listens no more: the connection is refused, and an EventSource retries")
                .isInstanceOf(ConnectException.class);
        for (int i = 3; i < 5; i++) { // while no client runs
            seqs.add(nats.measurement(s.subject(), "r", Integer.toString(i)));
        }

        var second = F.closeAfterTest(AnomalyClient.start(first.config().toBuilder().port(first.port()).build()));
        seqs.add(nats.measurement(s.subject(), "r", "5"));

        reader.await(ClientFixture.WAIT, events -> events.size() >= seqs.size());
        assertThat(reader.ids()).as("every anomaly once, in order, across the restart").isEqualTo(seqs);
        assertThat(reader.refusals()).as("statuses an EventSource would have given up on").isEmpty();
        await().atMost(ClientFixture.WAIT).until(() -> http.metric(second.url(), "anomalyflow_client_sse_readers") == 1);
    }
}
