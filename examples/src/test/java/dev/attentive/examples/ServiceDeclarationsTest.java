package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.ServiceDeclarations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every module's {@code provides} clauses and {@code META-INF/services} files agree. Runs here, in
 * the last module of the reactor, where every other module has been compiled. The module list is
 * read from the root pom, so a new module is checked without editing this test, and a module
 * without a compiled {@code module-info} fails instead of being skipped.
 */
class ServiceDeclarationsTest {

    @Test
    void everyModuleDeclaresItsProvidersInBothPlaces() throws IOException {
        List<String> modules = reactorModules();
        assertThat(modules).as("modules of the root pom").contains("api", "kernels", "core-model", "examples");
        for (String module : modules) {
            ServiceDeclarations.assertInSync(Path.of("..", module, "target", "classes"));
        }
    }

    private static List<String> reactorModules() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }
}
