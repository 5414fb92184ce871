package io.anomalyflow.gateway;

import static io.anomalyflow.gateway.GatewayFixture.json;
import static io.anomalyflow.gateway.GatewayFixture.measurement;
import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * JetStream answering a publish with a storage error (the stream's {@code max_bytes} with discard-new,
 * the server's {@code max_file_store}): the gateway's 503 says that JetStream refused to store the
 * measurement, why, and that it was not stored, not that an ack did not come in time.
 */
class StorageRefusedTest {
    @Test
    void aFullStreamIsA503SayingJetStreamRefusedToStoreIt() throws Exception {
        try (var nats = NatsServer.start()) {
            try (var nc = Nats.connect(nats.url())) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("FULL").subjects("full")
                        .storageType(StorageType.Memory).maxBytes(2048).discardPolicy(DiscardPolicy.New).build());
            }
            try (var fx = GatewayFixture.start(nats, "--stream", "FULL", "--subject", "full")) {
                var refused = postUntilRefused(fx);
                assertRefusedForStorage(refused, "maximum bytes exceeded");
                // longer than the refused one, so it cannot fit into what is left either
                var id = "b".repeat(40);
                var batch = fx.postJson("[" + measurement(id + 1, "d", "1") + "," + measurement(id + 2, "d", "2") + "]");
                assertThat(batch.statusCode()).isEqualTo(503);
                assertThat(json(batch).get("error").asText()).startsWith("JetStream refused to store measurement 1 of 2")
                        .contains("maximum bytes exceeded").contains("the batch may be partly stored").doesNotContain("within");
            }
        }
    }

    @Test
    void aFullServerIsA503SayingJetStreamRefusedToStoreIt() throws Exception {
        try (var nats = NatsServer.start(NatsServerConfig.defaults().withMaxFileStore(1L << 20))) {
            try (var nc = Nats.connect(nats.url())) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("FILLER").subjects("filler")
                        .storageType(StorageType.File).build());
                var js = nc.jetStream();
                try {
                    for (int i = 0; i < 64; i++) {
                        js.publish("filler", new byte[32 << 10]);
                    }
                } catch (io.nats.client.JetStreamApiException e) {
                    // the server's limit is reached
                }
            }
            try (var fx = GatewayFixture.start(nats, "--storage", "file")) {
                assertRefusedForStorage(postUntilRefused(fx), "");
            }
        }
    }

    private static HttpResponse<String> postUntilRefused(GatewayFixture fx) throws Exception {
        for (int i = 0; i < 1000; i++) {
            var r = fx.postJson(measurement("m-" + i, "d", "1"));
            if (r.statusCode() != 200) {
                return r;
            }
        }
        throw new AssertionError("1000 measurements stored past the limit");
    }

    private static void assertRefusedForStorage(HttpResponse<String> r, String reason) throws Exception {
        System.out.println("503 for a full store: " + r.body());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(r).get("error").asText()).startsWith("JetStream refused to store the measurement: ")
                .contains(reason).contains("it was not stored").contains("retrying with the same id is safe")
                .doesNotContain("did not acknowledge").doesNotContain("may or may not");
    }
}
