package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadTest {
    private final EventCodec codec = EventCodec.create();

    private static Headers headers(String... nameValues) {
        var h = new Headers();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "APPLICATION/JSON", "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"", " application/json "})
    void jsonContentTypes(String type) throws Rejection {
        assertThat(Payload.format(headers("Content-Type", type))).isEqualTo(Payload.Format.JSON);
    }

    @Test
    void noContentTypeIsJsonAndNdjsonIsNdjson() throws Rejection {
        assertThat(Payload.format(headers())).isEqualTo(Payload.Format.JSON);
        assertThat(Payload.format(headers("Content-Type", "application/x-ndjson; charset=utf-8"))).isEqualTo(Payload.Format.NDJSON);
        assertThat(Payload.format(headers("Content-Type", "application/json", "Content-Encoding", "identity")))
                .isEqualTo(Payload.Format.JSON);
    }

    @Test
    void otherTypesCharsetsAndEncodingsAre415() {
        assertThatThrownBy(() -> Payload.format(headers("Content-Type", "text/json")))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(415));
        assertThatThrownBy(() -> Payload.format(headers("Content-Type", "application/json; charset=utf-16")))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(415))
                .hasMessageContaining("utf-16");
        assertThatThrownBy(() -> Payload.format(headers("Content-Type", "application/json", "Content-Encoding", "br")))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(415));
        assertThatThrownBy(() -> Payload.format(headers("Content-Type", "application/json", "Content-Type", "application/json")))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    private Payload decode(Payload.Format f, String body) throws Exception {
        return Payload.decode(codec, f, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstCharacterChoosesBetweenOneAndABatch() throws Exception {
        var one = "{\"deviceId\":\"7\",\"measurementValue\":1}";
        assertThat(decode(Payload.Format.JSON, " \n" + one)).isInstanceOf(Payload.Single.class);
        assertThat(decode(Payload.Format.JSON, "\uFEFF" + one)).isInstanceOf(Payload.Single.class);
        assertThat(decode(Payload.Format.JSON, "\t[" + one + "]")).isInstanceOfSatisfying(Payload.Batch.class,
                b -> assertThat(b.measurements()).hasSize(1));
        assertThat(decode(Payload.Format.NDJSON, one + "\n" + one)).isInstanceOfSatisfying(Payload.Batch.class,
                b -> assertThat(b.measurements()).hasSize(2));
        assertThat(decode(Payload.Format.NDJSON, one)).as("one NDJSON line is still a batch").isInstanceOf(Payload.Batch.class);
    }

    @Test
    void emptyBodiesAndBatchesAre400AndInvalidOnesNameTheField() {
        assertThatThrownBy(() -> decode(Payload.Format.JSON, "  ")).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.status()).isEqualTo(400)).hasMessageStartingWith("empty body");
        assertThatThrownBy(() -> decode(Payload.Format.JSON, "[ ]")).hasMessage("empty batch: nothing to store");
        assertThatThrownBy(() -> decode(Payload.Format.JSON, "{\"deviceId\":\"7\"}")).isInstanceOfSatisfying(
                InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("measurementValue"));
    }
}
