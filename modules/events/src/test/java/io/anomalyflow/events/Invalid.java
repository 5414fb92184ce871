package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

/** Test helper: runs a decode that must fail and checks the failure's shape. */
final class Invalid {

    @FunctionalInterface
    interface Decode {
        Object run() throws Exception;
    }

    private Invalid() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The InvalidEventException thrown by {@code decode}, after checking it names {@code field}. */
    static InvalidEventException expect(String field, Decode decode) {
        var e = catchThrowableOfType(InvalidEventException.class, decode::run);
        assertThat(e).as("decode must throw InvalidEventException").isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertWellFormed(e);
        return e;
    }

    /** What every InvalidEventException must satisfy, whatever the input. */
    static void assertWellFormed(InvalidEventException e) {
        assertThat(e.field()).isNotBlank();
        assertThat(e.detail()).isNotBlank();
        String prefix = e.line() > 0 ? "(line|item) " + e.line() + ": " : "";
        assertThat(e.getMessage()).matches("(?s)" + prefix + java.util.regex.Pattern.quote(e.field() + ": ") + ".+");
        // safe to echo to a sender: printable ASCII only (the ellipsis of a cut quote aside)
        assertThat(e.getMessage()).matches("[\\x20-\\x7E]+").doesNotContain("<", ">");
    }
}
