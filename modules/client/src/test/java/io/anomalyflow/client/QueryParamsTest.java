package io.anomalyflow.client;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {
    static final Set<String> KNOWN = Set.of("deviceId", "limit");

    @Test
    void decodesValuesAndTreatsEmptyAsAbsent() throws Exception {
        var q = QueryParams.parse("deviceId=a%3Ab&limit=7", KNOWN);
        assertThat(q.get("deviceId")).contains("a:b");
        assertThat(q.intValue("limit", 100, 1, 10)).isEqualTo(7);
        var empty = QueryParams.parse("deviceId=&limit", KNOWN);
        assertThat(empty.get("deviceId")).isEmpty();
        assertThat(empty.intValue("limit", 100, 1, 1000)).isEqualTo(100);
        assertThat(QueryParams.parse(null, KNOWN).get("deviceId")).isEmpty();
        assertThat(QueryParams.parse("&&", KNOWN).get("deviceId")).isEmpty();
    }

    @Test
    void refusesWhatItCannotTakeNamingTheParameter() throws Exception {
        assertThatThrownBy(() -> QueryParams.parse("device=1", KNOWN)).hasMessageContaining("\"device\"")
                .hasMessageContaining("deviceId, limit");
        assertThatThrownBy(() -> QueryParams.parse("limit=1&limit=1", KNOWN)).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> QueryParams.parse("deviceId=%zz", KNOWN)).hasMessageContaining("deviceId");
        var q = QueryParams.parse("limit=99999999999999999999", KNOWN);
        assertThatThrownBy(() -> q.intValue("limit", 1, 1, 10)).hasMessageStartingWith("limit: not a whole number");
        var big = QueryParams.parse("limit=11", KNOWN);
        assertThatThrownBy(() -> big.intValue("limit", 1, 1, 10)).hasMessage("limit: must be between 1 and 10, got 11");
    }

    @Test
    void quotedValuesAreShortAndFreeOfMarkup() {
        assertThat(QueryParams.quote("<script>")).isEqualTo("\"\\u003cscript\\u003e\"");
        assertThat(QueryParams.quote("x".repeat(100))).hasSize(1 + 40 + 2).endsWith("\"…");
        assertThat(QueryParams.quote("a\nb")).isEqualTo("\"a\\u000ab\"");
    }
}
