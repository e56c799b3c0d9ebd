package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warning that the Vector API is missing, checked in JVMs of their own: the build runs this JVM
 * with {@code --add-modules jdk.incubator.vector} (the parent pom's argLine), and the warning is
 * logged when {@link VectorSupport} is initialised, so only a fresh JVM can show it or its absence.
 * The probe logs through System.Logger's default backend (java.util.logging's console handler on
 * standard error), set to one line per record: {@code record|LEVEL|LOGGER|MESSAGE}.
 */
class VectorWarningTest {

    @Test
    void aJvmWithoutTheModuleWarnsExactlyOnceWithTheFlagAndItsCost() throws Exception {
        List<String> lines = probe();
        assertThat(lines).filteredOn(l -> l.startsWith("record|")).containsExactly(
                "record|WARNING|dev.attentive.kernels.VectorSupport|" + VectorSupport.MISSING_MODULE_WARNING);
        assertThat(lines).contains("enabled false");
        // The text pinned where users look for it: the flag, where it goes, the cost and the way out.
        assertThat(VectorSupport.MISSING_MODULE_WARNING)
                .contains("java --add-modules jdk.incubator.vector -jar attentive.jar")
                .contains("export JDK_JAVA_OPTIONS=\"--add-modules jdk.incubator.vector\"")
                .contains("<argLine>--add-modules jdk.incubator.vector</argLine>")
                .contains("MAVEN_OPTS")
                .contains("about 5 times as long")
                .endsWith("set -Dattentive.vector=false.");
    }

    @Test
    void switchingTheVectorPathsOffOnPurposeIsSilent() throws Exception {
        List<String> lines = probe("-Dattentive.vector=false");
        assertThat(lines).noneMatch(l -> l.startsWith("record|")).contains("enabled false");
    }

    @Test
    void aJvmWithTheModuleIsSilentAndVectorised() throws Exception {
        List<String> lines = probe("--add-modules", "jdk.incubator.vector");
        assertThat(lines).noneMatch(l -> l.startsWith("record|")).contains("enabled true");
    }

    /** Runs {@link VectorWarningProbe} in a new JVM with these options; its standard output and error, merged. */
    private static List<String> probe(String... jvmOptions) throws IOException, InterruptedException {
        // Surefire's own class path is a manifest-only jar; it names the test class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.util.logging.SimpleFormatter.format=record|%4$s|%3$s|%5$s%n");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, VectorWarningProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A JDK_JAVA_OPTIONS of the environment would add the module to every java launch.
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
