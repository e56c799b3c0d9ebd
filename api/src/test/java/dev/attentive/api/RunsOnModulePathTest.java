package dev.attentive.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Evidence that this module's tests run on the module path (set up in its pom): the test class is
 * patched into the named module, so module-info is what the tests see.
 */
class RunsOnModulePathTest {

    @Test
    void testsRunInsideTheNamedModule() {
        assumeTrue(Boolean.getBoolean("attentive.test.modulePath"),
                "run by Maven, whose surefire config for this module sets attentive.test.modulePath");
        Module module = getClass().getModule();
        assertThat(module.isNamed()).as("the test class's module is named").isTrue();
        assertThat(module.getName()).isEqualTo("dev.attentive.api");
        assertThat(module.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
                .contains("dev.attentive.api");
    }
}
