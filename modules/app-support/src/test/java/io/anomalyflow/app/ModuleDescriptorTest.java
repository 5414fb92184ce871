package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The module an embedder puts on the module path: its name, the packages it exports (the public API
 * and nothing else) and what it requires. Surefire runs these tests inside the named module, so the
 * descriptor read here is the compiled {@code module-info}, not a guess.
 */
class ModuleDescriptorTest {
    private final Module module = WebServer.class.getModule();

    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(module.isNamed()).as("WebServer's module (tests on the module path)").isTrue();
        assertThat(module.getName()).isEqualTo("io.anomalyflow.app");
    }

    @Test
    void exportsThePublicApiOnly() {
        assertThat(module.getDescriptor().exports())
                .allSatisfy(e -> assertThat(e.isQualified()).as("qualified export %s", e).isFalse())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.anomalyflow.app");
        assertThat(module.getDescriptor().opens()).isEmpty();
    }

    @Test
    void requiresOnlyWhatItUses() {
        // app-support passes jdk.httpserver on: its handlers and exchanges are in the API
        assertThat(module.getDescriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "jdk.httpserver");
    }
}
