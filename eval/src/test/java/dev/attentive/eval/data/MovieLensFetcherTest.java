package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches from a real HTTP server on the loopback interface; never from the internet. */
class MovieLensFetcherTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/movielens/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/movielens/".length());
            byte[] body = files.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/movielens/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private void publish(String release, byte[] zip, String md5) {
        files.put(release + ".zip", zip);
        files.put(release + ".zip.md5", ("MD5 (" + release + ".zip) = " + md5 + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void downloadsVerifiesAndUnzipsIntoPlace() throws Exception {
        byte[] zip = zip(Map.of("ml-100k/", "", "ml-100k/u.data", "1\t2\t5\t881250949\n", "ml-100k/README", "hello"));
        publish("ml-100k", zip, md5(zip));
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
        publish("ml-1m", tampered, md5(zip));
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
        publish("ml-latest-small", zip, md5(zip));
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
