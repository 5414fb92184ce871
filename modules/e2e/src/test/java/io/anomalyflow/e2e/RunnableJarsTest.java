package io.anomalyflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the repository promises about the runnable jars: one per app, runnable with {@code java -jar},
 * without BouncyCastle (jnats needs it only for NKeys), small enough for a minimal deployment.
 */
class RunnableJarsTest {
    private static final long FOUR_MIB = 4L * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "detector", "client", "sender"})
    void eachAppIsOneSmallRunnableJarWithoutBouncyCastle(String app) throws Exception {
        var jar = new Apps(Path.of("target", "e2e-logs")).jar(app);
        assertThat(Files.size(jar)).as("%s.jar size", app).isLessThanOrEqualTo(FOUR_MIB);
        try (var file = new JarFile(jar.toFile())) {
            var mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
            assertThat(mainClass).isEqualTo("io.anomalyflow." + app + "." + Character.toUpperCase(app.charAt(0))
                    + app.substring(1) + "Main");
            assertThat(file.getEntry(mainClass.replace('.', '/') + ".class")).as("main class inside").isNotNull();
            assertThat(file.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/bouncycastle/")))
                    .as("BouncyCastle classes in %s.jar", app).isEmpty();
        }
    }
}
