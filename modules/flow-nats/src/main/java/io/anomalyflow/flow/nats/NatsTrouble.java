package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Why a NATS connection is not usable, in words for {@code /health} and start-up errors. The last
 * error the server sent ({@code Authorization Violation} when our user was removed or its password
 * changed) is kept until the connection is established again, so a health answer can say "refused
 * our credentials" instead of only "reconnecting".
 *
 * <p>Register one instance as the connection's error listener (or forward to {@link #errorOccurred})
 * and as a connection listener. Thread-safe: jnats calls it from its own threads.
 */
public final class NatsTrouble implements ErrorListener, ConnectionListener {
    private final Consumer<String> onNewError;
    private volatile String serverError;
    private volatile Exception lastException;

    /** Records without telling anyone. */
    public NatsTrouble() {
        this(error -> { });
    }

    /**
     * Records and passes each new server error to {@code onNewError} (the app's log) once, not at each
     * reconnect attempt, which repeats it four times a second.
     */
    public NatsTrouble(Consumer<String> onNewError) {
        this.onNewError = Objects.requireNonNull(onNewError, "onNewError");
    }

    /** Records an error the server sent. */
    @Override
    public void errorOccurred(Connection conn, String error) {
        if (!error.equals(serverError)) {
            onNewError.accept(error);
        }
        serverError = error;
    }

    /**
     * Records an exception of the connection: at start, jnats throws only "Unable to connect" and
     * reports the cause (a TLS handshake failure, say) here.
     */
    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        lastException = exp;
    }

    /** A connection (re)established clears the recorded error. */
    @Override
    public void connectionEvent(Connection conn, Events event) {
        if (event == Events.CONNECTED || event == Events.RECONNECTED || event == Events.RESUBSCRIBED) {
            serverError = null;
        }
    }

    /** The last error the server sent since the connection was last established, or {@code null}. */
    public String serverError() {
        return serverError;
    }

    /**
     * "NATS connection is reconnecting", followed by what the server last said when it said something,
     * with a hint when it is an authorization refusal. A refusal repeated while reconnecting makes jnats
     * close the connection for good (its "double auth error" rule): then the answer says a restart with
     * valid credentials is needed, since giving the user back on the server does not revive it.
     */
    public String reason(Connection.Status status) {
        var text = "NATS connection is " + status.name().toLowerCase(Locale.ROOT);
        var error = serverError;
        if (error == null) {
            return text;
        }
        if (!isAuthorization(error)) {
            return text + ": server said " + error;
        }
        // jnats closes the connection for good when a server refuses the same credentials twice in a row
        return text + ": the server refused our credentials (" + error + ")"
                + (status == Connection.Status.CLOSED ? "; NATS gives up on refused credentials: restart with valid ones" : "");
    }

    /**
     * What went wrong when connecting at start, in one sentence that names the cause and what to
     * change: refused credentials, an untrusted or unexpected TLS certificate, TLS expected by one side
     * only, or the server not reachable. The exception the connection reported to this listener, if
     * any, is read too: it holds the cause jnats' own exception leaves out.
     */
    public String explainConnectFailure(Throwable thrown, String where) {
        var failure = lastException != null && lastException != thrown ? withCause(thrown, lastException) : thrown;
        var all = messages(failure);
        var lower = all.toLowerCase(Locale.ROOT);
        if (isAuthorization(all)) {
            return "NATS at " + where + " refused our credentials (" + firstLine(failure)
                    + "); check --nats-user/--nats-password, --nats-token (or NATS_USER, NATS_PASSWORD, NATS_TOKEN)";
        }
        if (has(failure, CertificateException.class) || lower.contains("pkix") || lower.contains("certificate")) {
            return "the TLS certificate of NATS at " + where + " is not trusted (" + firstLine(failure)
                    + "); give the certificate or its CA with --nats-truststore (NATS_TRUSTSTORE)";
        }
        if (lower.contains("tls required") || lower.contains("ssl required") || has(failure, SSLException.class)) {
            return "TLS with NATS at " + where + " failed (" + firstLine(failure)
                    + "); use a tls:// URL for a server that requires TLS, and nats:// for one that does not";
        }
        return "cannot reach NATS at " + where + " (" + firstLine(failure)
                + "); start nats-server -js there, or point --nats / NATS_URL at a running one";
    }

    private static Throwable withCause(Throwable thrown, Exception cause) {
        var both = new IOException(thrown.getMessage() + "; " + cause, cause);
        both.addSuppressed(thrown);
        return both;
    }

    private static boolean isAuthorization(String text) {
        var lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("authorization violation") || lower.contains("authentication") || lower.contains("user authentication");
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (var c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable t) {
        var sb = new StringBuilder();
        for (var c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static String firstLine(Throwable t) {
        var root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        var m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        var r = root == t || root.getMessage() == null || m.contains(root.getMessage()) ? "" : "; " + root.getMessage();
        return (m + r).strip();
    }

    /** The recorded server error, if any. */
    @Override
    public String toString() {
        return "NatsTrouble[" + (serverError == null ? "none" : serverError) + "]";
    }
}
