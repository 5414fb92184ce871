package io.anomalyflow.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * HTTPS for an app's server: a PKCS#12 keystore holding the server's private key and certificate
 * chain ({@code --tls-keystore FILE}, {@code --tls-password} / its environment variable).
 *
 * <p>{@link #load} reads and checks the keystore at start, so a missing file, a wrong password or a
 * store without a private key stops the app with a message saying which, before it listens. The
 * password is used to open the store and not kept.
 */
public final class ServerTls {
    private final Path keystore;
    private final SSLContext context;

    private ServerTls(Path keystore, SSLContext context) {
        this.keystore = keystore;
        this.context = context;
    }

    /**
     * Opens {@code keystore} with {@code password}.
     *
     * @throws IllegalArgumentException saying what is wrong with the file (not found, not PKCS#12, wrong
     *                                  password, no private key), never quoting the password
     */
    public static ServerTls load(Path keystore, char[] password) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        if (!Files.isReadable(keystore)) {
            throw new IllegalArgumentException("cannot read keystore " + keystore);
        }
        try {
            var ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                ks.load(in, password);
            }
            boolean hasKey = false;
            for (var alias : Collections.list(ks.aliases())) {
                hasKey |= ks.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("keystore " + keystore + " holds no private key (a truststore?)");
            }
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            var context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new ServerTls(keystore, context);
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by an UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("wrong password for keystore " + keystore, e);
            }
            throw new IllegalArgumentException("keystore " + keystore + " is not a readable PKCS#12 file ("
                    + e.getMessage() + "); a wrong password reads the same", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore " + keystore + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The context the server's TLS engine comes from. */
    public SSLContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "ServerTls[" + keystore + "]";
    }
}
