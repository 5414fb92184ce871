package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static Summary summary(long acked, long rejected, long failed, long sent, String lastError) {
        return new Summary(URI.create("http://127.0.0.1:8081/measurements"), 1_000, sent, acked, 4, rejected, failed, 6,
                acked, Duration.ofMillis(2_000), Duration.ofNanos(1_234_000), Duration.ofMillis(15), Duration.ofMillis(230), lastError);
    }

    @Test
    void allAcknowledgedIsExitZero() {
        var s = summary(1_000, 0, 0, 1_000, null);
        assertThat(s.allAcknowledged()).isTrue();
        assertThat(s.exitStatus()).isZero();
        assertThat(s.notSent()).isZero();
        assertThat(s.rate()).isEqualTo(500.0);
        assertThat(s.toText()).isEqualTo(String.join(System.lineSeparator(),
                "sender: 1000 measurements to http://127.0.0.1:8081/measurements in 2.00 s",
                "  sent               1000",
                "  acknowledged       1000  (4 duplicates)",
                "  rejected              0",
                "  failed                0",
                "  retries               6",
                "  rate                500 measurements/s",
                "  latency       p50 1.23 ms  p99 15.00 ms  max 230 ms  (per request, 1000 requests)",
                "result: all acknowledged"));
    }

    @Test
    void anythingMissingIsExitOneAndSaysWhy() {
        var s = summary(900, 50, 30, 980, "HTTP 400: \"deviceId\" <bad>");
        assertThat(s.notSent()).isEqualTo(20);
        assertThat(s.notAcknowledged()).isEqualTo(100);
        assertThat(s.acknowledged() + s.rejected() + s.failed() + s.notSent()).isEqualTo(s.total());
        assertThat(s.exitStatus()).isEqualTo(1);
        assertThat(s.toText()).contains("not sent             20").contains("last error    HTTP 400: \"deviceId\" <bad>")
                .endsWith("result: 100 NOT acknowledged");
    }

    @Test
    void jsonCarriesTheSameNumbersAndEscapesTheError() throws Exception {
        var s = summary(900, 50, 30, 980, "HTTP 400: \"deviceId\"\n<bad>");
        var json = new ObjectMapper().readTree(s.toJson());
        assertThat(json.get("total").asLong()).isEqualTo(1_000);
        assertThat(json.get("acknowledged").asLong()).isEqualTo(900);
        assertThat(json.get("duplicates").asLong()).isEqualTo(4);
        assertThat(json.get("rejected").asLong()).isEqualTo(50);
        assertThat(json.get("failed").asLong()).isEqualTo(30);
        assertThat(json.get("notSent").asLong()).isEqualTo(20);
        assertThat(json.get("latencyP50Ms").asDouble()).isEqualTo(1.234);
        assertThat(json.get("lastError").asText()).isEqualTo("HTTP 400: \"deviceId\"\n<bad>");
        assertThat(json.get("allAcknowledged").asBoolean()).isFalse();
        assertThat(s.toJson()).doesNotContain("\n");
    }
}
