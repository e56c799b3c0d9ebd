package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.attentive.examples.service.ServiceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attentive serve --config FILE --port 0} in this JVM: it prints the loopback address it
 * listens on, answers {@code /recommend}, {@code /similar} and an item update there, and stops when
 * its thread is interrupted (what Ctrl-C's shutdown hook does through the same close).
 */
class ServeCommandTest {
    private static final Pattern ADDRESS = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard only: a broken server fails instead of hanging the build
    void servesRecommendationsSimilarItemsAndItemUpdatesOnALoopbackPort(@TempDir Path dir) throws Exception {
        Path config = ServiceFixtures.config(dir.resolve("attentive.json"),
                ServiceFixtures.trainAndSave(ServiceFixtures.data(), dir.resolve("model")), dir.resolve("serving"));
        StringWriter out = new StringWriter();
        var cli = AttentiveCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread serving = new Thread(() -> exit.complete(cli.execute("serve", "--config", config.toString(), "--port", "0")),
                "serve-under-test");
        serving.start();
        try {
            URI base = URI.create(awaitAddress(out, exit));

            HttpResponse<String> recommend = get(base.resolve("recommend?user=u1&k=4"));
            assertThat(recommend.statusCode()).isEqualTo(200);
            assertThat(recommend.body()).contains("\"basis\":").contains("\"items\":[{\"item\":\"i");

            HttpResponse<String> similar = get(base.resolve("similar?item=i2&k=3"));
            assertThat(similar.statusCode()).isEqualTo(200);
            assertThat(similar.body()).startsWith("{\"item\":\"i2\",\"items\":[{\"item\":\"i");

            HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.resolve("items/new-7"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"genre\": \"g1\", \"color\": \"ultraviolet\"}"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(get(base.resolve("similar?item=i2&k=3&filter=color:ultraviolet")).body())
                    .contains("{\"item\":\"new-7\"");
        } finally {
            serving.interrupt();
        }
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("Serving " + config + " on http://127.0.0.1:");
    }

    @Test
    void aMissingConfigIsAOneLineErrorWithStatus2(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        var cli = AttentiveCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        Path missing = dir.resolve("nope.yaml");

        assertThat(cli.execute("serve", "--config", missing.toString(), "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Invalid Attentive config in " + missing
                + ": the config file does not exist; check the path").hasLineCount(1);
    }

    @Test
    void aPortInUseIsAOneLineErrorWithStatus2(@TempDir Path dir) throws Exception {
        Path config = ServiceFixtures.config(dir.resolve("attentive.json"),
                ServiceFixtures.trainAndSave(ServiceFixtures.data(), dir.resolve("model")), dir.resolve("serving"));
        StringWriter err = new StringWriter();
        var cli = AttentiveCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(cli.execute("serve", "--config", config.toString(), "--port", String.valueOf(taken.getLocalPort())))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("error: Cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("choose another port");
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the command's output until it prints its address; fails if the command ends first. */
    private static String awaitAddress(StringWriter out, CompletableFuture<Integer> exit) throws InterruptedException {
        while (true) {
            Matcher m = ADDRESS.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            if (exit.isDone()) {
                throw new AssertionError("serve ended (exit " + exit.join() + ") before listening: " + out);
            }
            Thread.sleep(20);
        }
    }
}
