package dev.attentive.examples;

import static dev.attentive.eval.fixtures.LoopbackMovieLensMirror.md5;
import static dev.attentive.eval.fixtures.LoopbackMovieLensMirror.zip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.eval.fixtures.LoopbackMovieLensMirror;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fetch} command against eval's {@link LoopbackMovieLensMirror}, a real HTTP server on
 * the loopback interface; never the internet.
 */
class FetchCommandTest {
    @TempDir
    Path dir;

    @Test
    void fetchCommandUsesTheInjectedBaseUrl() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try (LoopbackMovieLensMirror mirror = new LoopbackMovieLensMirror()) {
            byte[] zip = zip(Map.of("ml-100k/u.data", "1\t2\t5\t881250949\n"));
            mirror.publish("ml-100k", zip, md5(zip));
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = AttentiveCli.run("fetch", "--dataset", "ml-100k", "--data-dir", dir.toString(), "--base-url",
                    mirror.base().toString());
        } finally {
            System.setOut(old);
        }
        assertThat(status).as(buffer.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(dir.resolve("ml-100k/u.data")).isRegularFile();
    }
}
