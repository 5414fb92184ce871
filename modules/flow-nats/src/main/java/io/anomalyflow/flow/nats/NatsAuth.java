package io.anomalyflow.flow.nats;

import io.nats.client.Options;
import javax.net.ssl.SSLContext;

/**
 * How a connection proves itself to NATS and checks the server: the trust for a TLS server
 * certificate that the JVM's default authorities would not accept, and either a user with a password
 * or a token. Credentials given in the URL ({@code nats://user:pw@host}) still work and are not
 * needed here.
 *
 * <p>{@link #toString()} never shows a password or token, so a config printed in a log is safe.
 *
 * @param trust    the SSL context trusting the server's certificate, or {@code null} for the JVM's
 *                 default (a {@code tls://} URL then needs a publicly trusted certificate)
 * @param user     the user name, or {@code null}
 * @param password the user's password; set exactly when {@code user} is
 * @param token    the token, or {@code null}; never together with a user
 */
public record NatsAuth(SSLContext trust, String user, String password, String token) {
    /** No TLS trust of our own and no credentials. */
    public static final NatsAuth NONE = new NatsAuth(null, null, null, null);

    /** Checks a user comes with a password, and a token comes alone. */
    public NatsAuth {
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException(user == null ? "a password needs a user" : "a user needs a password");
        }
        if (token != null && user != null) {
            throw new IllegalArgumentException("give a user and password or a token, not both");
        }
        if (token != null && token.isEmpty() || user != null && user.isEmpty()) {
            throw new IllegalArgumentException("a user or token must not be empty");
        }
    }

    /** Adds the trust and the credentials to {@code options}; returns it. */
    public Options.Builder applyTo(Options.Builder options) {
        if (trust != null) {
            options.sslContext(trust);
        }
        if (user != null) {
            options.userInfo(user, password);
        }
        if (token != null) {
            options.token(token.toCharArray());
        }
        return options;
    }

    /** Names what is set, never a secret. */
    @Override
    public String toString() {
        return "NatsAuth[trust=" + (trust == null ? "default" : "given") + ", user=" + (user == null ? "none" : user)
                + ", password=" + (password == null ? "none" : "***") + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
