package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.ServiceDeclarations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every module's {@code provides} clauses and {@code META-INF/services} files agree. Runs here, in
 * the last module of the reactor, where every other module has been compiled.
 */
class ServiceDeclarationsTest {

    @Test
    void everyModuleDeclaresItsProvidersInBothPlaces() throws IOException {
        List<String> checked = new ArrayList<>();
        for (String module : List.of("api", "core-model", "attention", "index-lucene", "eval", "examples")) {
            Path classes = Path.of("..", module, "target", "classes");
            if (Files.exists(classes.resolve("module-info.class"))) {
                ServiceDeclarations.assertInSync(classes);
                checked.add(module);
            }
        }
        assertThat(checked).contains("api", "core-model", "examples");
    }
}
