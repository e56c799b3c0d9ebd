package dev.attentive.eval.data;

import static dev.attentive.eval.fixtures.LoopbackMovieLensMirror.md5;
import static dev.attentive.eval.fixtures.LoopbackMovieLensMirror.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.eval.fixtures.LoopbackMovieLensMirror;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches from a {@link LoopbackMovieLensMirror}, a real HTTP server on the loopback interface; never from the internet. */
class MovieLensFetcherTest {
    @TempDir
    Path dir;

    private LoopbackMovieLensMirror mirror;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        mirror = new LoopbackMovieLensMirror();
        base = mirror.base();
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void downloadsVerifiesAndUnzipsIntoPlace() throws Exception {
        byte[] zip = zip(Map.of("ml-100k/", "", "ml-100k/u.data", "1\t2\t5\t881250949\n", "ml-100k/README", "hello"));
        mirror.publish("ml-100k", zip, md5(zip));
        Path target = dir.resolve("data");
        Path folder = new MovieLensFetcher(base).fetch("ml-100k", target, false);
        assertThat(folder).isEqualTo(target.resolve("ml-100k"));
        assertThat(folder.resolve("u.data")).hasContent("1\t2\t5\t881250949");
        assertThat(folder.resolve("README")).hasContent("hello");
        assertThat(entries(target)).as("no temporary files remain").isEqualTo(1);
        assertThatThrownBy(() -> new MovieLensFetcher(base).fetch("ml-100k", target, false))
                .hasMessageEndingWith("ml-100k already exists; delete it or fetch with --force to replace it");
        assertThat(new MovieLensFetcher(base).fetch("ml-100k", target, true)).isDirectory();
    }

    @Test
    void aTamperedDownloadIsRefusedAndNothingIsWritten() throws Exception {
        byte[] zip = zip(Map.of("ml-1m/ratings.dat", "1::2::5::978300760\n"));
        byte[] tampered = zip(Map.of("ml-1m/ratings.dat", "1::2::1::978300760\n"));
        mirror.publish("ml-1m", tampered, md5(zip));
        Path target = dir.resolve("data");
        assertThatThrownBy(() -> new MovieLensFetcher(base).fetch("ml-1m", target, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checksum mismatch for " + base + "ml-1m.zip: expected MD5 " + md5(zip) + " (from " + base
                        + "ml-1m.zip.md5), got " + md5(tampered) + "; the download is damaged or was tampered with."
                        + " Nothing was written; try again later or check the address");
        assertThat(entries(target)).isZero();
    }

    @Test
    void aZipSlipEntryIsRefusedAndNothingIsWritten() throws Exception {
        byte[] zip = zip(Map.of("ml-latest-small/ratings.csv", "x", "ml-latest-small/../../evil.txt", "pwned"));
        mirror.publish("ml-latest-small", zip, md5(zip));
        Path target = dir.resolve("data");
        assertThatThrownBy(() -> new MovieLensFetcher(base).fetch("ml-latest-small", target, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsafe entry 'ml-latest-small/../../evil.txt' in " + base + "ml-latest-small.zip: it would be"
                        + " written outside the target folder (zip-slip); refusing the archive, nothing was written");
        assertThat(entries(target)).isZero();
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void unknownReleasesAndMissingFilesAreClearErrors() {
        assertThatThrownBy(() -> new MovieLensFetcher(base).fetch("ml-2m", dir, false))
                .hasMessage("Unknown MovieLens release 'ml-2m'; valid: ml-100k, ml-1m, ml-latest-small, ml-20m, ml-25m");
        assertThatThrownBy(() -> new MovieLensFetcher(base).fetch("ml-25m", dir, false))
                .hasMessage("Cannot read the published checksum " + base + "ml-25m.zip.md5: HTTP 404");
    }
}
