package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.ItemId;
import dev.attentive.api.spi.RetrieverSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM indexing into an on-disk index is killed with SIGKILL; every committed item survives. */
class CrashRecoveryTest {

    @Test
    void everyCommittedItemSurvivesKillDashNine(@TempDir Path dir) throws Exception {
        Path index = dir.resolve("index");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), index.toString(), "3"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        int committed = 0;
        List<String> output = new ArrayList<>();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("COMMITTED ")) {
                    committed = Integer.parseInt(line.substring("COMMITTED ".length()));
                    if (committed == 300) {
                        Thread.sleep(300); // let uncommitted adds and flushes happen
                        break;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(committed).as("child output: %s", output).isEqualTo(300);
        System.out.println("[crash] child killed with exit code " + child.exitValue() + " after committing "
                + committed + " items");

        try (var d = FSDirectory.open(index); var check = new CheckIndex(d)) {
            check.setInfoStream(null);
            CheckIndex.Status status = check.checkIndex();
            assertThat(status.clean).as("CheckIndex after kill -9").isTrue();
        }
        try (var r = TestItems.open(TestItems.config(index.toString()), RetrieverSpec.of(16))) {
            for (int i = 0; i < committed; i++) {
                assertThat(r.contains(ItemId.of("c" + i))).as("committed item c%d", i).isTrue();
            }
            assertThat(r.size()).isEqualTo(committed); // uncommitted items are gone, none half-written
        }
    }
}
