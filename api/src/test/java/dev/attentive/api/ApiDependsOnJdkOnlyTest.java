package dev.attentive.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The api promises to depend on the JDK only; its compiled module descriptor proves it. */
class ApiDependsOnJdkOnlyTest {

    @Test
    void moduleRequiresOnlyJdkModules() throws IOException {
        Path descriptor = Path.of("target/classes/module-info.class");
        try (InputStream in = Files.newInputStream(descriptor)) {
            ModuleDescriptor module = ModuleDescriptor.read(in);
            assertThat(module.name()).isEqualTo("dev.attentive.api");
            assertThat(module.requires()).allSatisfy(r ->
                    assertThat(r.name()).as("required module").matches("java\\..*"));
        }
    }
}
