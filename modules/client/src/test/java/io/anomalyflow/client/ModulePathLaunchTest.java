package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.ModulePathLaunch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client runs on the module path ({@code java -p … -m io.anomalyflow.client/…}) as well as from its shaded jar. */
class ModulePathLaunchTest {
    @Test
    void theHelpComesFromTheNamedModule(@TempDir Path dir) throws Exception {
        var result = ModulePathLaunch.run(dir.resolve("out.log"), "io.anomalyflow.client", "io.anomalyflow.client.ClientMain", "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("Usage: client");
    }
}
