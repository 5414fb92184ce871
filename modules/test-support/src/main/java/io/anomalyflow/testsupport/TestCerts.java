package io.anomalyflow.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material made at test time with the running JDK's {@code keytool} (none is kept in the
 * repository): a self-signed certificate for {@code localhost} and {@code 127.0.0.1} in a PKCS#12
 * keystore, and a truststore holding only that certificate, plus its PEM files (for nats-server).
 *
 * @param keystore       PKCS#12 with the private key and certificate, password {@link #password}
 * @param truststore     PKCS#12 with the certificate alone, same password
 * @param certPem        the certificate, PEM
 * @param keyPem         the private key, PEM (PKCS#8, unencrypted)
 * @param password       the stores' password
 */
public record TestCerts(Path keystore, Path truststore, Path certPem, Path keyPem, String password) {

    /** Makes a fresh set in {@code dir} (about a second: keytool runs three times). */
    public static TestCerts create(Path dir) throws IOException, InterruptedException {
        return create(dir, "server");
    }

    /** As {@link #create(Path)}, with file names starting with {@code name}. */
    public static TestCerts create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        var password = "test-" + Long.toHexString(System.nanoTime());
        var keystore = dir.resolve(name + "-keystore.p12");
        var truststore = dir.resolve(name + "-truststore.p12");
        var certPem = dir.resolve(name + "-cert.pem");
        keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(), "-storepass", password,
                "-file", certPem.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", name, "-file", certPem.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
        var keyPem = dir.resolve(name + "-key.pem");
        writeKeyPem(keystore, password, name, keyPem);
        return new TestCerts(keystore, truststore, certPem, keyPem, password);
    }

    /** An SSL context trusting only this certificate (for a test's HTTP client). */
    public SSLContext clientContext() throws Exception {
        var trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(truststore)) {
            trust.load(in, password.toCharArray());
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void writeKeyPem(Path keystore, String password, String alias, Path out) throws IOException {
        try {
            var ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                ks.load(in, password.toCharArray());
            }
            var key = ks.getKey(alias, password.toCharArray());
            var b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
            Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot export the private key of " + keystore, e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        var java = Path.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        var keytool = java.resolveSibling("keytool");
        var command = new ArrayList<String>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        var log = dir.resolve("keytool.log");
        var p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + Files.readString(log));
        }
    }
}
