package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code profile} command prints the markdown profile and saves profile.json and plots. */
class ProfileCommandTest {
    @TempDir
    Path out;

    @Test
    void profileCommandPrintsAndSaves() {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = AttentiveCli.run("profile", "--dataset", "synthetic", "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("# Profile of synthetic", "| item | genre | categorical |", "ratings: implicit");
        assertThat(out.resolve("profile.json")).isNotEmptyFile();
        assertThat(out.resolve("ratings.png")).doesNotExist();
    }
}
