package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.ModulePathLaunch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender runs on the module path ({@code java -p … -m io.anomalyflow.sender/…}) as well as from its shaded jar. */
class ModulePathLaunchTest {
    @Test
    void theHelpComesFromTheNamedModule(@TempDir Path dir) throws Exception {
        var result = ModulePathLaunch.run(dir.resolve("out.log"), "io.anomalyflow.sender", "io.anomalyflow.sender.SenderMain", "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("Usage: sender");
    }
}
