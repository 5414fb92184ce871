package io.anomalyflow.app;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * How an app's HTTP server may be reached, from the options every app with a server shares:
 * HTTPS ({@code --tls-keystore}, {@code --tls-password}) and protected mode
 * ({@code --allow-anonymous}).
 *
 * <p>Protected mode: an app asked to listen on an address other than loopback must have something
 * that keeps strangers out (a token), or be told with {@code --allow-anonymous} that serving
 * everyone is meant. {@link #requireProtection} checks that before anything is bound, and its
 * {@link OptionException} makes the app exit with status 2 and a message saying how to set a token.
 *
 * @param tls            the server's key and certificate, or {@code null} for plain HTTP
 * @param allowAnonymous serving without a token on a non-loopback address is intended
 */
public record ServerAccess(ServerTls tls, boolean allowAnonymous) {
    /** Plain HTTP, protected mode on. */
    public static final ServerAccess PLAIN = new ServerAccess(null, false);

    /** Adds {@code --tls-keystore}, {@code --tls-password} and {@code --allow-anonymous} to {@code b}. */
    public static Options.Builder options(Options.Builder b) {
        return b.option("tls-keystore", "TLS_KEYSTORE", null, "<file>",
                        "PKCS#12 keystore with the server's key and certificate: serve HTTPS (default: plain HTTP)")
                .secret("tls-password", "TLS_PASSWORD", "<password>", "password of the --tls-keystore file")
                .flag("allow-anonymous", "ALLOW_ANONYMOUS",
                        "serve without a token on a non-loopback --bind (refused by default)");
    }

    /** Reads the options {@link #options} added; a keystore that cannot be opened is an {@link OptionException}. */
    public static ServerAccess from(OptionValues v) {
        boolean anonymous = v.bool("allow-anonymous");
        if (!v.isSet("tls-keystore")) {
            if (v.isSet("tls-password")) {
                throw new OptionException("--tls-password", "given without --tls-keystore (or TLS_KEYSTORE)");
            }
            return new ServerAccess(null, anonymous);
        }
        if (!v.isSet("tls-password")) {
            throw new OptionException("--tls-password", "required with --tls-keystore (or set TLS_PASSWORD)");
        }
        var password = v.string("tls-password").toCharArray();
        var tls = v.convert("tls-keystore", file -> ServerTls.load(Path.of(file.strip()), password));
        return new ServerAccess(tls, anonymous);
    }

    /** Whether the server speaks HTTPS. */
    public boolean https() {
        return tls != null;
    }

    /**
     * Refuses a non-loopback {@code bind} when nothing protects the server and anonymous service was
     * not asked for.
     *
     * @param protectedByToken whether the app has a token that guards what it serves
     * @param howToProtect     what to tell the user, e.g. {@code "set a token with --token or CLIENT_TOKEN"}
     * @throws OptionException naming {@code --bind}, saying how to set a token or to pass {@code --allow-anonymous}
     */
    public void requireProtection(InetAddress bind, boolean protectedByToken, String howToProtect) {
        if (bind.isLoopbackAddress() || protectedByToken || allowAnonymous) {
            return;
        }
        throw new OptionException("--bind", bind.getHostAddress() + " is reachable from other machines and no token "
                + "is set, so anyone reaching the port would be served; " + howToProtect
                + ", or pass --allow-anonymous (ALLOW_ANONYMOUS=true) if serving everyone is intended");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ServerAccess[" + (tls == null ? "http" : "https " + tls) + (allowAnonymous ? ", anonymous allowed" : "") + "]";
    }
}
