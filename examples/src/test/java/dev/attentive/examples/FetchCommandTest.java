package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fetch} command against a real HTTP server on the loopback interface (as eval's
 * MovieLensFetcherTest); never the internet.
 */
class FetchCommandTest {
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

    @Test
    void fetchCommandUsesTheInjectedBaseUrl() throws Exception {
        byte[] zip = zip(Map.of("ml-100k/u.data", "1\t2\t5\t881250949\n"));
        publish("ml-100k", zip, md5(zip));
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = AttentiveCli.run("fetch", "--dataset", "ml-100k", "--data-dir", dir.toString(), "--base-url", base.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(status).as(buffer.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(dir.resolve("ml-100k/u.data")).isRegularFile();
    }
}
