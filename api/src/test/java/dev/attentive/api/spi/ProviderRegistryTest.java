package dev.attentive.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery across jars: each test compiles provider classes at test time into a real jar that only
 * a child class loader sees, so nothing here can be found through the test class path by accident.
 */
class ProviderRegistryTest {

    @TempDir
    Path temp;

    private static String provider(String className, String name, String constructorBody) {
        return """
                package plugins;
                public final class %1$s implements dev.attentive.api.spi.RetrieverProvider<%1$s.Config> {
                    public record Config(int fanout) { }
                    public %1$s() { %3$s }
                    @Override public String name() { return "%2$s"; }
                    @Override public Config defaultConfig() { return new Config(10); }
                    @Override public dev.attentive.api.Retriever create(Config c, dev.attentive.api.spi.RetrieverSpec s) {
                        throw new UnsupportedOperationException("not needed by the registry tests");
                    }
                }
                """.formatted(className, name, constructorBody);
    }

    /** Compiles the sources into a jar whose service file lists {@code services} in order. */
    private Path jar(String jarName, Map<String, String> sources, List<String> services) throws IOException {
        Path src = Files.createDirectories(temp.resolve(jarName + "-src/plugins"));
        Path classes = Files.createDirectories(temp.resolve(jarName + "-classes"));
        // On the module path (as surefire runs this module) the api is on jdk.module.path, not java.class.path.
        String path = String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path", ""));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", path,
                "--release", "21", "-nowarn"));
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey() + ".java");
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        // javac of the JDK running the tests, as a process: the tests run inside module dev.attentive.api,
        // which does not (and should not) read java.compiler.
        args.add(0, Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        try {
            Process javac = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(javac.waitFor()).as("javac exit code; output: %s", output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling test providers", e);
        }
        Path jar = temp.resolve(jarName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry("META-INF/services/dev.attentive.api.spi.RetrieverProvider"));
            zip.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            try (var files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(f));
                    zip.closeEntry();
                }
            }
        }
        return jar;
    }

    private static URLClassLoader child(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, ProviderRegistryTest.class.getClassLoader());
    }

    @Test
    void findsAProviderInAJarOnAChildClassLoaderByNameIgnoringCase() throws IOException {
        Path jar = jar("good", Map.of("GoodProvider", provider("GoodProvider", "fancy-index", "")),
                List.of("plugins.GoodProvider"));
        try (URLClassLoader loader = child(jar)) {
            var registry = ProviderRegistry.retrievers(loader);
            assertThat(registry.names()).contains("fancy-index");
            assertThat(registry.get("Fancy-Index").getClass().getName()).isEqualTo("plugins.GoodProvider");
            assertThat(registry.get("fancy-index").configure(Map.of("fanout", "40")).toString())
                    .isEqualTo("Config[fanout=40]");
            assertThat(registry.problems()).isEmpty();
        }
        assertThat(ProviderRegistry.retrievers(getClass().getClassLoader()).find("fancy-index")).isEmpty();
    }

    @Test
    void unknownNameListsTheAvailableNamesWordForWord() throws IOException {
        Path jar = jar("two", Map.of(
                "AlphaProvider", provider("AlphaProvider", "alpha", ""),
                "BetaProvider", provider("BetaProvider", "beta", "")),
                List.of("plugins.BetaProvider", "plugins.AlphaProvider"));
        try (URLClassLoader loader = child(jar)) {
            var registry = ProviderRegistry.retrievers(loader);
            assertThatThrownBy(() -> registry.get("gamma"))
                    .isInstanceOf(UnknownProviderException.class)
                    .hasMessage("No retriever named 'gamma'. Available: alpha, beta.");
            assertThatThrownBy(() -> registry.get("lucene-hnsw"))
                    .hasMessage("No retriever named 'lucene-hnsw'. Available: alpha, beta. Add the dependency "
                            + "dev.attentive:attentive-index-lucene to the class path to get 'lucene-hnsw'.");
        }
    }

    @Test
    void twoProvidersWithOneNameFailAtDiscoveryNamingBothClasses() throws IOException {
        Path first = jar("first", Map.of("FirstProvider", provider("FirstProvider", "same", "")),
                List.of("plugins.FirstProvider"));
        Path second = jar("second", Map.of("SecondProvider", provider("SecondProvider", "same", "")),
                List.of("plugins.SecondProvider"));
        try (URLClassLoader loader = child(first, second)) {
            assertThatThrownBy(() -> ProviderRegistry.retrievers(loader))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Two retriever providers are named 'same': plugins.FirstProvider and "
                            + "plugins.SecondProvider. Remove one of them from the class path.");
        }
    }

    @Test
    void aBrokenProviderIsReportedAndSkippedWhileTheOthersLoad() throws IOException {
        Path jar = jar("mixed", Map.of(
                "ThrowingProvider", provider("ThrowingProvider", "throwing", "if (true) throw new IllegalStateException(\"no licence key\");"),
                "BadNameProvider", provider("BadNameProvider", "Bad_Name", ""),
                "GoodProvider", provider("GoodProvider", "good", "")),
                List.of("plugins.ThrowingProvider", "plugins.Missing", "plugins.BadNameProvider", "plugins.GoodProvider"));
        try (URLClassLoader loader = child(jar)) {
            var registry = ProviderRegistry.retrievers(loader);
            assertThat(registry.names()).contains("good").doesNotContain("throwing", "bad_name");
            assertThat(registry.problems()).hasSize(3);
            assertThat(registry.problems().get(0)).contains("plugins.ThrowingProvider").contains("no licence key");
            assertThat(registry.problems().get(1)).contains("plugins.Missing");
            assertThat(registry.problems().get(2)).isEqualTo("Skipped retriever provider plugins.BadNameProvider: "
                    + "its name 'Bad_Name' does not match ^[a-z][a-z0-9-]*$");
            assertThatThrownBy(() -> registry.get("throwing")).hasMessageContaining("Skipped as broken:")
                    .hasMessageContaining("no licence key");
        }
    }

    @Test
    void noProvidersAtAllSaysNone() {
        var registry = ProviderRegistry.models(new ClassLoader(null) { });
        assertThatThrownBy(() -> registry.get("two-tower"))
                .hasMessage("No model named 'two-tower'. Available: none. Add the dependency "
                        + "dev.attentive:attentive-core-model to the class path to get 'two-tower'.");
    }
}
