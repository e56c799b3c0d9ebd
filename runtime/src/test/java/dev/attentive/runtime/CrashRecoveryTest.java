package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.UserId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 while the catalogue changes and while a model is saved: a child JVM ({@link CrashChild})
 * serves from a persistent index directory and prints every acknowledged step; the test kills it
 * mid-stream with {@code destroyForcibly()} and opens the directory again in this JVM. Every
 * acknowledged put must be there with its features, every acknowledged remove must hold, and the
 * directory must serve its last committed model with nothing half-written left or loaded.
 */
class CrashRecoveryTest {
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;

    /** Writes the config (small synthetic data, lucene-hnsw, the index directory) and commits generation 1. */
    private Path prepare() throws IOException {
        Path config = tmp.resolve("attentive.yaml");
        Files.writeString(config, """
                data:
                  synthetic: {seed: 5, users: 80, items: 120, topics: 4, meanInteractionsPerUser: 8}
                model:
                  name: two-tower
                  settings: %s
                retriever: lucene-hnsw[fanout=20]
                indexDirectory: serving
                training: {seed: 7, threads: 1}
                """.formatted(Fixtures.SMALL_MODEL_YAML));
        try (ServingRecommender served = Attentive.fromConfig(config).build()) {
            assertThat(served.generation()).isEqualTo(1);
        }
        return config;
    }

    /** The child's stdout, line by line, with the child killed once {@code killWhen} accepts a line. */
    private List<String> runChildUntil(String mode, Path config, java.util.function.Predicate<List<String>> killWhen)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path stderr = tmp.resolve("child-" + mode + ".err");
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, CrashChild.class.getName(), mode,
                config.toString()).redirectError(stderr.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ-ERROR " + e);
            }
        });
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try {
            // Polled every few milliseconds, so that a kill can land at any moment, not only after a line.
            while (!killWhen.test(seen)) {
                String line = lines.poll(5, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.add(line);
                } else if (System.nanoTime() > deadline || !child.isAlive()) {
                    throw new AssertionError("The child printed " + seen.size() + " lines and then nothing for "
                            + TIMEOUT_SECONDS + " s (alive: " + child.isAlive() + "); its stderr:\n"
                            + Files.readString(stderr));
                }
            }
        } finally {
            // SIGKILL through the process handle: Process.destroyForcibly() would also close our end of the
            // pipe and lose what the child wrote just before it died.
            child.toHandle().destroyForcibly();
            child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        lines.drainTo(seen); // what the child wrote before it died, still in the pipe
        assertThat(child.exitValue()).as("killed, not exited").isNotZero();
        System.out.printf("child (%s) killed after %d lines; last: %s%n", mode, seen.size(),
                seen.isEmpty() ? "-" : seen.get(seen.size() - 1));
        return seen;
    }

    /**
     * Checks every acknowledged put and remove against the reopened catalogue. An item whose removal
     * was under way when the child died may be either present or absent, so it is not checked.
     */
    private static void assertAcknowledged(List<String> lines, ServingRecommender served) {
        Map<String, Boolean> expected = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("ACK ")) {
                expected.put(line.substring(4), true);
            } else if (line.startsWith("REMOVING ")) {
                expected.remove(line.substring(9));
            } else if (line.startsWith("REMOVED ")) {
                expected.put(line.substring(8), false);
            }
        }
        assertThat(expected).isNotEmpty();
        expected.forEach((id, present) -> {
            ItemId item = ItemId.of(id);
            assertThat(served.catalogue().contains(item)).as("acknowledged %s of %s", present ? "put" : "remove", id)
                    .isEqualTo(present);
            if (present) {
                int i = Integer.parseInt(id.substring("crash-".length()));
                assertThat(served.catalogue().features(item)).contains(CrashChild.features(i));
            }
        });
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void killedDuringCatalogueUpdatesEveryAcknowledgedChangeIsBack() throws Exception {
        Path config = prepare();
        List<String> lines = runChildUntil("catalogue", config,
                seen -> seen.stream().filter(l -> l.startsWith("ACK ")).count() >= 60);
        try (ServingRecommender served = Attentive.fromConfig(config).build()) {
            assertThat(served.generation()).isEqualTo(1);
            assertAcknowledged(lines, served);
            assertThat(served.recommend(RecommendationRequest.forUser(UserId.of("u1")).k(10).build())).hasSize(10);
        }
    }

    @Test
    void killedDuringRetrainingTheLastCommittedModelServesAndNothingHalfWrittenIsLoaded() throws Exception {
        Path config = prepare();
        java.util.SplittableRandom random = new java.util.SplittableRandom(System.nanoTime());
        long[] killAfterNanos = {-1};
        List<String> lines = runChildUntil("retrain", config, seen -> {
            long committed = seen.stream().filter(l -> l.startsWith("COMMITTED")).count();
            boolean retraining = !seen.isEmpty() && seen.get(seen.size() - 1).equals("RETRAIN");
            if (committed >= 2 && retraining && killAfterNanos[0] < 0) {
                // Kill at a random moment of this retraining: training, saving, replaying or committing.
                killAfterNanos[0] = System.nanoTime() + random.nextLong(TimeUnit.MILLISECONDS.toNanos(1500));
            }
            return killAfterNanos[0] >= 0 && System.nanoTime() >= killAfterNanos[0];
        });
        long lastCommitted = lines.stream().filter(l -> l.startsWith("COMMITTED "))
                .mapToLong(l -> Long.parseLong(l.substring(10))).max().orElseThrow();
        Path serving = tmp.resolve("serving");
        System.out.println("after the kill: models/ " + entries(serving.resolve("models")) + ", index/ "
                + entries(serving.resolve("index")));

        // Plant what a crash at the worst moment leaves: a half-written save in its temporary sibling, a
        // complete but uncommitted next generation, a half-written state file.
        Path models = serving.resolve("models");
        Path halfWritten = Files.createDirectories(models.resolve("." + (lastCommitted + 5) + ".tmp-123"));
        Files.writeString(halfWritten.resolve("model.json"), "{\"format\":\"attentive-two-tower\",");
        Path uncommitted = models.resolve(Long.toString(lastCommitted + 6));
        try (Stream<Path> files = Files.list(models.resolve(Long.toString(lastCommitted)))) {
            Files.createDirectories(uncommitted);
            for (Path f : files.toList()) {
                Files.copy(f, uncommitted.resolve(f.getFileName()));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // The kill landed after the next commit; the directory of lastCommitted is gone, which is right.
        }
        Files.writeString(serving.resolve("serving.json.tmp"), "{\"generation\": 999");

        try (ServingRecommender served = Attentive.fromConfig(config).build()) {
            long generation = served.generation();
            // The kill may land between a commit and its COMMITTED line, but never before the last printed one.
            assertThat(generation).isBetween(lastCommitted, lastCommitted + 1);
            assertThat(entries(models)).containsExactly(Long.toString(generation));
            assertThat(entries(serving.resolve("index"))).isSubsetOf(Long.toString(generation));
            assertThat(entries(serving)).doesNotContain("serving.json.tmp");
            assertThat(Files.readString(serving.resolve("serving.json"))).contains("\"generation\" : " + generation);
            assertAcknowledged(lines, served);
            assertThat(served.recommend(RecommendationRequest.forUser(UserId.of("u1")).k(10).build())).hasSize(10);
        }
    }
}
