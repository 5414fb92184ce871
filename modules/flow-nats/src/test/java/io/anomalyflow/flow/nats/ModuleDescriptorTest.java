package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The module an embedder puts on the module path: its name, the packages it exports (the public API
 * and nothing else) and what it requires. Surefire runs these tests inside the named module, so the
 * descriptor read here is the compiled {@code module-info}, not a guess.
 */
class ModuleDescriptorTest {
    private final Module module = JetStreamPublisher.class.getModule();

    @Test
    void testsRunInsideTheNamedModule() {
        assertThat(module.isNamed()).as("JetStreamPublisher's module (tests on the module path)").isTrue();
        assertThat(module.getName()).isEqualTo("io.anomalyflow.flow.nats");
    }

    @Test
    void exportsThePublicApiOnly() {
        assertThat(module.getDescriptor().exports())
                .allSatisfy(e -> assertThat(e.isQualified()).as("qualified export %s", e).isFalse())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.anomalyflow.flow.nats");
        assertThat(module.getDescriptor().opens()).isEmpty();
    }

    @Test
    void requiresOnlyWhatItUses() {
        // flow-nats reads flow-support and jnats, passes jnats on to its users, and brings java.logging for it
        assertThat(module.getDescriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("io.anomalyflow.flow", "io.nats.jnats", "java.base", "java.logging");
    }
}
