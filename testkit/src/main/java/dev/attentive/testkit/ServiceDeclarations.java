package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks that a module's {@code provides} clauses and its {@code META-INF/services} files declare
 * the same providers, so that discovery works alike on the module path and on the class path.
 *
 * @since 0.1.0
 */
public final class ServiceDeclarations {
    private ServiceDeclarations() {
    }

    /**
     * Asserts that the compiled module descriptor and the service files agree.
     *
     * @param classesDir the module's compiled classes, e.g. {@code Path.of("target/classes")}
     * @throws IOException when the files cannot be read
     */
    public static void assertInSync(Path classesDir) throws IOException {
        Map<String, Set<String>> provides = new TreeMap<>();
        try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
            for (ModuleDescriptor.Provides p : ModuleDescriptor.read(in).provides()) {
                provides.put(p.service(), new TreeSet<>(p.providers()));
            }
        }
        Map<String, Set<String>> services = new TreeMap<>();
        Path dir = classesDir.resolve("META-INF/services");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Set<String> names = new TreeSet<>();
                    for (String line : Files.readAllLines(file)) {
                        String name = line.replaceAll("#.*", "").trim();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                    services.put(file.getFileName().toString(), names);
                }
            }
        }
        assertThat(services).as("META-INF/services must list exactly the providers of module-info's provides clauses")
                .isEqualTo(provides);
    }
}
