package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The module an embedder puts on the module path: its name, the packages it exports (the public API
 * and nothing else) and what it requires. Surefire runs these tests inside the named module, so the
 * descriptor read here is the compiled {@code module-info}, not a guess.
 */
class ModuleDescriptorTest {
    private final Module module = Measurement.class.getModule();

    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(module.isNamed()).as("Measurement's module (tests on the module path)").isTrue();
        assertThat(module.getName()).isEqualTo("io.anomalyflow.events");
    }

    @Test
    void exportsThePublicApiOnly() {
        assertThat(module.getDescriptor().exports())
                .allSatisfy(e -> assertThat(e.isQualified()).as("qualified export %s", e).isFalse())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.anomalyflow.events");
        assertThat(module.getDescriptor().opens()).isEmpty();
    }

    @Test
    void requiresOnlyWhatItUses() {
        // the codec streams with jackson-core alone
        assertThat(module.getDescriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("com.fasterxml.jackson.core", "java.base");
    }
}
