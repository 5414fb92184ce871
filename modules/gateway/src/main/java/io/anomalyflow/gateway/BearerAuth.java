package io.anomalyflow.gateway;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The optional bearer-token check of {@code POST /measurements} ({@code --token} / {@code GATEWAY_TOKEN}).
 *
 * <p>The comparison must not leak, through its timing, how much of a guess was right. Both sides
 * are hashed with SHA-256 first and the digests compared with {@link MessageDigest#isEqual}, which
 * looks at every byte whatever it finds; hashing also hides the token's length.
 */
final class BearerAuth {
    private final byte[] expectedDigest;

    private BearerAuth(String token) {
        this.expectedDigest = token == null ? null : sha256(token);
    }

    /** A check against {@code token}; with {@code null} every request passes. */
    static BearerAuth of(String token) {
        return new BearerAuth(token);
    }

    boolean required() {
        return expectedDigest != null;
    }

    /** Whether the request carries {@code Authorization: Bearer <token>} with the right token. */
    boolean allows(Headers headers) {
        if (expectedDigest == null) {
            return true;
        }
        var values = headers.get("Authorization");
        if (values == null || values.size() != 1) {
            return false;
        }
        var value = values.get(0).strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(value.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
