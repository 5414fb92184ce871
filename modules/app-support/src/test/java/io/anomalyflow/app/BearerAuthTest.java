package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
    private static Headers auth(String... values) {
        var h = new Headers();
        for (var v : values) {
            h.add("Authorization", v);
        }
        return h;
    }

    @Test
    void withoutATokenEverythingPasses() {
        var open = BearerAuth.of(null);
        assertThat(open.required()).isFalse();
        assertThat(open.allows(auth())).isTrue();
        assertThat(open.allows(auth("Bearer whatever"))).isTrue();
    }

    @Test
    void withATokenOnlyTheExactBearerPasses() {
        var a = BearerAuth.of("s3cret");
        assertThat(a.required()).isTrue();
        assertThat(a.allows(auth("Bearer s3cret"))).isTrue();
        assertThat(a.allows(auth("bearer s3cret"))).as("the scheme is case-insensitive").isTrue();
        assertThat(a.allows(auth("  Bearer   s3cret  "))).isTrue();
        assertThat(a.allows(auth())).isFalse();
        assertThat(a.allows(auth("Bearer"))).isFalse();
        assertThat(a.allows(auth("Bearer "))).isFalse();
        assertThat(a.allows(auth("Bearer s3cre"))).isFalse();
        assertThat(a.allows(auth("Bearer s3cret2"))).isFalse();
        assertThat(a.allows(auth("Bearer S3CRET"))).as("the token is case-sensitive").isFalse();
        assertThat(a.allows(auth("Basic s3cret"))).isFalse();
        assertThat(a.allows(auth("s3cret"))).isFalse();
        assertThat(a.allows(auth("Bearer s3cret", "Bearer s3cret"))).as("two Authorization headers are ambiguous").isFalse();
    }
}
