package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesWhatJsonRequires() {
        assertThat(Json.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(Json.quote("l1\nl2\r\t\b\f")).isEqualTo("\"l1\\nl2\\r\\t\\b\\f\"");
        assertThat(Json.quote("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\\u007f\"");
    }

    @Test
    void escapesMarkupAndJavaScriptLineBreaksSoEchoedInputStaysInert() {
        assertThat(Json.quote("<script>alert('x')&</script>"))
                .isEqualTo("\"\\u003cscript\\u003ealert('x')\\u0026\\u003c/script\\u003e\"");
        assertThat(Json.quote("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
    }

    @Test
    void keepsValidUnicodeAndEscapesLoneSurrogates() {
        assertThat(Json.quote("zaż\u00f3łć 😀")).isEqualTo("\"zaż\u00f3łć 😀\"");
        assertThat(Json.quote("x\ud800y")).isEqualTo("\"x\\ud800y\"");
        assertThat(Json.quote("\udc00")).isEqualTo("\"\\udc00\"");
        assertThat(Json.quote("end\ud83d")).isEqualTo("\"end\\ud83d\"");
    }

    @Test
    void errorBodyHasOneField() {
        assertThat(Json.error("bad \"x\"")).isEqualTo("{\"error\":\"bad \\\"x\\\"\"}");
        assertThat(Json.quote(null)).isEqualTo("null");
    }
}
