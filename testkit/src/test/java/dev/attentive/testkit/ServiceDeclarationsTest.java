package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.fixtures.GoodModelProvider;
import dev.attentive.testkit.fixtures.NoDefaultConstructorProvider;
import dev.attentive.testkit.fixtures.NotAProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both modes of {@link ServiceDeclarations}: a class-path plugin project (service files only, its
 * classes are this test's fixtures) and a modular one (a real module compiled by javac at test time).
 */
class ServiceDeclarationsTest {
    private static final String MODEL = ModelProvider.class.getName();

    @TempDir
    static Path shared;
    private static Path modular;

    @TempDir
    Path temp;

    /** Compiles a one-provider module, {@code plugin.sample}, whose declarations agree. */
    @BeforeAll
    static void compileModularPlugin() throws Exception {
        Path src = Files.createDirectories(shared.resolve("src/sample"));
        Files.writeString(shared.resolve("src/module-info.java"), """
                module plugin.sample {
                    requires dev.attentive.api;
                    provides dev.attentive.api.spi.ModelProvider with sample.SampleProvider;
                }
                """);
        Files.writeString(src.resolve("SampleProvider.java"), """
                package sample;
                public final class SampleProvider implements dev.attentive.api.spi.ModelProvider<SampleProvider.Config> {
                    public record Config() { }
                    public SampleProvider() { }
                    @Override public String name() { return "sample"; }
                    @Override public Config defaultConfig() { return new Config(); }
                    @Override public dev.attentive.api.Recommender train(dev.attentive.api.Dataset d, Config c,
                            dev.attentive.api.spi.TrainingContext t) {
                        throw new UnsupportedOperationException();
                    }
                }
                """);
        modular = shared.resolve("classes");
        Path api = Path.of(ModelProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // javac as a process: these tests may run inside module dev.attentive.testkit, which does not read java.compiler.
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "21", "-nowarn", "--module-path", api.toString(), "-d", modular.toString(),
                shared.resolve("src/module-info.java").toString(), src.resolve("SampleProvider.java").toString()));
        Process javac = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(javac.waitFor()).as("javac exit code; output: %s", output).isZero();
        writeServices(modular, MODEL, "sample.SampleProvider");
    }

    private static void writeServices(Path classes, String service, String... lines) throws IOException {
        Path dir = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(dir.resolve(service), String.join("\n", lines) + "\n");
    }

    @Test
    void classPathProjectWithUsableProvidersPasses() throws IOException {
        writeServices(temp, MODEL, "# the one provider", GoodModelProvider.class.getName() + "  # trailing comment");
        assertThatCode(() -> ServiceDeclarations.assertClassPathServices(temp)).doesNotThrowAnyException();
    }

    @Test
    void classPathProjectReportsEveryProblemAtOnceWithItsFix() throws IOException {
        writeServices(temp, MODEL, GoodModelProvider.class.getName(), NotAProvider.class.getName(),
                NoDefaultConstructorProvider.class.getName(), "dev.attentive.testkit.fixtures.Missing");
        writeServices(temp, "dev.attentive.api.spi.RetrieverProvider", "# nothing yet");
        assertThatThrownBy(() -> ServiceDeclarations.assertClassPathServices(temp))
                .isInstanceOf(AssertionError.class)
                .hasMessage("4 problem(s) with the service declarations in " + temp + ":\n"
                        + "  META-INF/services/dev.attentive.api.spi.RetrieverProvider names no provider: add the "
                        + "provider's fully qualified class name on a line of its own, or delete the file\n"
                        + "  provider dev.attentive.testkit.fixtures.Missing of dev.attentive.api.spi.ModelProvider cannot "
                        + "be loaded (java.lang.ClassNotFoundException: dev.attentive.testkit.fixtures.Missing): fix the "
                        + "class name in META-INF/services/dev.attentive.api.spi.ModelProvider or compile the class\n"
                        + "  provider dev.attentive.testkit.fixtures.NoDefaultConstructorProvider of "
                        + "dev.attentive.api.spi.ModelProvider has no public no-argument constructor: add one, "
                        + "ServiceLoader creates providers with it\n"
                        + "  provider dev.attentive.testkit.fixtures.NotAProvider does not implement "
                        + "dev.attentive.api.spi.ModelProvider: implement the service interface, or list the class "
                        + "under the service it implements");
    }

    @Test
    void classPathProjectWithoutServiceFilesFails() {
        assertThatThrownBy(() -> ServiceDeclarations.assertClassPathServices(temp))
                .isInstanceOf(AssertionError.class)
                .hasMessage("1 problem(s) with the service declarations in " + temp + ":\n  no service files in "
                        + temp.resolve("META-INF/services") + ": a plugin registers each provider in "
                        + "META-INF/services/<service interface>, e.g. src/main/resources/META-INF/services/"
                        + "dev.attentive.api.spi.ModelProvider holding the provider's class name");
    }

    @Test
    void classPathCheckOfAModularProjectPointsToAssertInSync() {
        assertThatThrownBy(() -> ServiceDeclarations.assertClassPathServices(modular))
                .isInstanceOf(AssertionError.class)
                .hasMessage(modular.toAbsolutePath().normalize() + " has a module-info.class: it is a modular "
                        + "project, whose provides clauses must match META-INF/services too; call "
                        + "ServiceDeclarations.assertInSync instead.");
    }

    @Test
    void modularProjectWhoseDeclarationsAgreePasses() {
        assertThatCode(() -> ServiceDeclarations.assertInSync(modular)).doesNotThrowAnyException();
    }

    @Test
    void modularProjectWithAProviderMissingFromTheServiceFileFails() throws IOException {
        Path copy = temp.resolve("classes");
        Files.createDirectories(copy.resolve("sample"));
        Files.copy(modular.resolve("module-info.class"), copy.resolve("module-info.class"));
        Files.copy(modular.resolve("sample/SampleProvider.class"), copy.resolve("sample/SampleProvider.class"));
        writeServices(copy, MODEL, "# forgot the provider");
        assertThatThrownBy(() -> ServiceDeclarations.assertInSync(copy))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("must list exactly the providers of module-info's provides clauses")
                .hasMessageContaining("sample.SampleProvider");
    }

    @Test
    void missingModuleInfoFailsClearlyInsteadOfNoSuchFile() throws IOException {
        writeServices(temp, MODEL, GoodModelProvider.class.getName());
        assertThatThrownBy(() -> ServiceDeclarations.assertInSync(temp))
                .isInstanceOf(AssertionError.class)
                .hasMessage("No module-info.class in " + temp.toAbsolutePath().normalize() + ": assertInSync checks "
                        + "a modular project. If this project is modular, add src/main/java/module-info.java and "
                        + "compile before the test runs; if it is a class-path plugin without module-info, call "
                        + "ServiceDeclarations.assertClassPathServices instead.");
    }
}
