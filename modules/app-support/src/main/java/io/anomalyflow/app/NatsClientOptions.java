package io.anomalyflow.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The options every app that talks to NATS shares: a truststore for a {@code tls://} server whose
 * certificate the JVM's default authorities do not vouch for, and credentials, a user with a password
 * or a token. Secrets come from options or, better (a command line is visible to every user of the
 * machine in {@code ps}), from the environment; neither help nor errors nor {@link #toString()} show them.
 *
 * <p>{@link #read} checks them at start: a user without a password, a token with a user, a truststore
 * that cannot be read or opened, or holds no certificate, is a bad option (exit status 2), named.
 *
 * @param trust    an SSL context trusting the truststore's certificates, or {@code null} (the JVM's default)
 * @param user     the user, or {@code null}
 * @param password its password, or {@code null}
 * @param token    the token, or {@code null}
 */
public record NatsClientOptions(SSLContext trust, String user, String password, String token) {

    /** The shared option definitions; add them with {@link Options.Builder#options(List)}. */
    public static final List<Option> OPTIONS = List.of(
            new Option("nats-truststore", "NATS_TRUSTSTORE", null, "<file>",
                    "PKCS#12 truststore with the NATS server's certificate or CA (default: the JVM's)", false),
            new Option("nats-truststore-password", "NATS_TRUSTSTORE_PASSWORD", null, "<password>",
                    "password of --nats-truststore (default: none)", true),
            new Option("nats-user", "NATS_USER", null, "<user>", "NATS user (with --nats-password)", false),
            new Option("nats-password", "NATS_PASSWORD", null, "<password>", "NATS user's password (better from the environment)", true),
            new Option("nats-token", "NATS_TOKEN", null, "<token>", "NATS token instead of a user (better from the environment)", true));

    /** Reads and checks the shared options; an {@link OptionException} names the bad one. */
    public static NatsClientOptions read(OptionValues v) {
        var user = v.optional("nats-user").orElse(null);
        var password = v.optional("nats-password").orElse(null);
        var token = v.optional("nats-token").orElse(null);
        if (user != null && password == null) {
            throw new OptionException("--nats-user", "needs --nats-password (or NATS_PASSWORD)");
        }
        if (password != null && user == null) {
            throw new OptionException("--nats-password", "needs --nats-user (or NATS_USER)");
        }
        if (token != null && user != null) {
            throw new OptionException("--nats-token", "give --nats-user and --nats-password or --nats-token, not both");
        }
        var trustPassword = v.optional("nats-truststore-password").orElse(null);
        if (trustPassword != null && !v.isSet("nats-truststore")) {
            throw new OptionException("--nats-truststore-password", "needs --nats-truststore");
        }
        SSLContext trust = v.isSet("nats-truststore")
                ? v.convert("nats-truststore", file -> load(Path.of(file), trustPassword == null ? null : trustPassword.toCharArray()))
                : null;
        return new NatsClientOptions(trust, user, password, token);
    }

    /** Names what is set, never a secret. */
    @Override
    public String toString() {
        return "NatsClientOptions[truststore=" + (trust == null ? "default" : "given") + ", user=" + (user == null ? "none" : user)
                + ", password=" + (password == null ? "none" : "***") + ", token=" + (token == null ? "none" : "***") + "]";
    }

    /** Opens {@code file} (a null password skips PKCS#12's integrity check) and trusts its certificates. */
    static SSLContext load(Path file, char[] password) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read truststore " + file);
        }
        try {
            var ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            boolean hasCertificate = false;
            for (var alias : Collections.list(ks.aliases())) {
                hasCertificate |= ks.isCertificateEntry(alias) || ks.getCertificate(alias) != null;
            }
            if (!hasCertificate) {
                // keytool encrypts the certificates of a PKCS#12 store: without the password none is seen
                throw new IllegalArgumentException("truststore " + file + " holds no certificate"
                        + (password == null ? " readable without a password (give --nats-truststore-password)" : ""));
            }
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            var context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("wrong password for truststore " + file, e);
            }
            throw new IllegalArgumentException("truststore " + file + " is not a readable PKCS#12 file (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore " + file + " cannot be used: " + e.getMessage(), e);
        }
    }
}
