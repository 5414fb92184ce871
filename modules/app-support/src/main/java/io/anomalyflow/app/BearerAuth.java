package io.anomalyflow.app;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An optional bearer-token check ({@code Authorization: Bearer <token>}): the gateway's
 * {@code POST /measurements}, the client's read side.
 *
 * <p>The comparison must not leak, through its timing, how much of a guess was right. Both sides
 * are hashed with SHA-256 first and the digests compared with {@link MessageDigest#isEqual}, which
 * looks at every byte whatever it finds; hashing also hides the token's length.
 */
public final class BearerAuth {
    /** The longest token an app accepts as its own. */
    public static final int MAX_TOKEN = 4096;

    private final byte[] expectedDigest;

    private BearerAuth(String token) {
        this.expectedDigest = token == null ? null : sha256(token);
    }

    /** A check against {@code token}; with {@code null} every request passes. */
    public static BearerAuth of(String token) {
        return new BearerAuth(token);
    }

    /**
     * Checks that {@code token} fits an {@code Authorization: Bearer} header as is: 1 to 4096
     * printable ASCII characters without spaces. Returns it.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the token
     */
    public static String checkToken(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("must be 1-" + MAX_TOKEN + " printable ASCII characters without spaces");
        }
        return token;
    }

    /** Whether a token is set (a request without it is refused). */
    public boolean required() {
        return expectedDigest != null;
    }

    /** Whether the request carries {@code Authorization: Bearer <token>} with the right token. */
    public boolean allows(Headers headers) {
        return problem(headers) == null;
    }

    /**
     * What is wrong with the request's credentials, for the 401's body ({@code null} when it passes):
     * no {@code Authorization} header, one that is not {@code Bearer <token>}, several, or the wrong
     * token. Never quotes what was sent.
     */
    public String problem(Headers headers) {
        if (expectedDigest == null) {
            return null;
        }
        var values = headers.get("Authorization");
        if (values == null || values.isEmpty()) {
            return "missing Authorization: Bearer <token>";
        }
        if (values.size() != 1) {
            return "more than one Authorization header";
        }
        var value = values.get(0).strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "the Authorization header is not Bearer <token>";
        }
        return MessageDigest.isEqual(expectedDigest, sha256(value.substring(7).strip())) ? null : "wrong token";
    }

    /**
     * {@code next} behind this check: a request without the right bearer token gets
     * {@link #challenge} naming the problem, and {@code next} never sees it.
     */
    public com.sun.net.httpserver.HttpHandler guard(com.sun.net.httpserver.HttpHandler next) {
        if (expectedDigest == null) {
            return next;
        }
        return exchange -> {
            var problem = problem(exchange.getRequestHeaders());
            if (problem != null) {
                challenge(exchange, problem);
            } else {
                next.handle(exchange);
            }
        };
    }

    /** Whether {@code candidate} is the token, in constant time (true when no token is required). */
    public boolean matches(String candidate) {
        if (expectedDigest == null) {
            return true;
        }
        return candidate != null && MessageDigest.isEqual(expectedDigest, sha256(candidate));
    }

    /**
     * Answers {@code 401} with {@code WWW-Authenticate: Bearer} and a JSON body saying what is
     * missing; never echoes what the request sent.
     */
    public static void challenge(com.sun.net.httpserver.HttpExchange exchange, String message) throws java.io.IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"anomalyflow\"");
        Responses.error(exchange, 401, message);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
