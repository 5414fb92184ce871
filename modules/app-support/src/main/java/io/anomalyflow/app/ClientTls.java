package io.anomalyflow.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS: an {@link SSLContext} that trusts the certificates of one truststore
 * instead of the JDK's default authorities ({@code --tls-truststore FILE}). The file is a PKCS#12
 * store (its password may be {@code null} when the certificates in it are not encrypted) or PEM
 * certificates ({@code -----BEGIN CERTIFICATE-----}, as nats-server and openssl write them).
 *
 * <p>Host names are checked by whoever uses the context: the JDK's {@code HttpClient} does so for
 * every HTTPS connection, so a certificate that does not name the host is refused even when trusted.
 */
public final class ClientTls {
    private ClientTls() {
    }

    /**
     * Reads {@code truststore}; a password that is {@code null} opens a PKCS#12 store without checking its integrity.
     *
     * @throws IllegalArgumentException saying what is wrong with the file, never quoting the password
     */
    public static SSLContext trusting(Path truststore, char[] password) {
        Objects.requireNonNull(truststore, "truststore");
        if (!Files.isReadable(truststore)) {
            throw new IllegalArgumentException("cannot read truststore " + truststore);
        }
        try {
            var store = load(truststore, password);
            if (store.size() == 0) {
                throw new IllegalArgumentException("truststore " + truststore + " holds no certificate");
            }
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("wrong password for truststore " + truststore, e);
            }
            throw new IllegalArgumentException("truststore " + truststore + " is neither PEM certificates nor a PKCS#12 "
                    + "file that opens with the password given (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore " + truststore + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        var bytes = Files.readAllBytes(file);
        var store = KeyStore.getInstance("PKCS12");
        if (new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("-----BEGIN CERTIFICATE")) {
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(bytes))) {
                store.setCertificateEntry("cert-" + i++, cert);
            }
            return store;
        }
        store.load(new java.io.ByteArrayInputStream(bytes), password);
        return store;
    }
}
