package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.eval.fixtures.ShopSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code evaluate} command end to end: results.json, cleaning.json, report.md, report.html and plots. */
class EvaluateCommandTest {
    @TempDir
    Path out;

    @Test
    void writesResultsAndReportsOnSyntheticData() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = AttentiveCli.run("evaluate", "--dataset", "synthetic", "--models", "pop,ease[lambda=100/400],random",
                    "--seeds", "1,2", "--k-core", "5", "--out", out.toString(), "--threads", "2");
        } finally {
            System.setOut(old);
        }
        assertThat(status).as(buffer.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("results.json")));
        assertThat(json.get("dataset").asString()).isEqualTo("synthetic");
        assertThat(json.get("seeds")).hasSize(2);
        for (String key : new String[] {"users", "items", "train", "valid", "test"}) {
            assertThat(json.get("split").get(key).asInt()).as(key).isPositive();
        }
        JsonNode ease = json.get("models").get("ease[lambda=100/400]");
        assertThat(ease.get("params").get("lambda").asString()).isIn("100.0", "400.0");
        for (String key : new String[] {"recall@10", "ndcg@10", "mrr@10", "hit@10", "precision@10", "map@10", "coverage@10"}) {
            assertThat(ease.get("test").get(key).asDouble()).as(key).isBetween(0.0, 1.0);
        }
        assertThat(ease.get("valid").get("ndcg@10").asDouble()).isPositive();
        assertThat(ease.get("train_seconds").asDouble()).isNotNegative();
        assertThat(json.get("comparisons")).isNotEmpty();
        assertThat(json.get("comparisons").get(0).get("ci95")).hasSize(2);
        assertThat(Files.readString(out.resolve("report.md"))).contains("| pop |").contains("recall-at-k.png");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<table>");
        assertThat(out.resolve("recall-at-k.png")).isNotEmptyFile();
        assertThat(out.resolve("ndcg-at-10.png")).isNotEmptyFile();
    }

    @Test
    void unknownModelsAndSettingsAreClearErrors() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = AttentiveCli.run("evaluate", "--dataset", "synthetic", "--models", "pop,nope,bpr[colour=red]",
                    "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown model 'nope' (available: bpr, ease, fm, itemknn, pop, random")
                .contains("bpr[colour=red]: unknown setting 'colour' (valid: dim,");
        assertThat(out.resolve("results.json")).doesNotExist();
    }

    @Test
    void testHistoryIsRecordedAndAnUnknownValueIsAClearError() throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int bad;
        int good;
        Path badOut = out.resolve("bad");
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            bad = AttentiveCli.run("evaluate", "--dataset", "synthetic", "--protocol", "loo", "--models", "pop",
                    "--test-history", "last", "--out", badOut.toString());
            good = AttentiveCli.run("evaluate", "--dataset", "synthetic", "--protocol", "loo", "--models", "ease[lambda=100]",
                    "--test-history", "train+valid", "--k-core", "5", "--out", out.toString(), "--threads", "2");
        } finally {
            System.setErr(old);
        }
        assertThat(bad).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown --test-history 'last'; valid: train, train+valid");
        assertThat(badOut.resolve("results.json")).doesNotExist();
        assertThat(good).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("results.json")));
        assertThat(json.get("protocol").asString()).isEqualTo("loo (test history: train+valid)");
    }

    @Test
    void evaluateAndProfileAcceptASpec() throws IOException {
        StringBuilder events = new StringBuilder("user_id,sku,qty,ts,channel\n");
        StringBuilder users = new StringBuilder("id\tage\tcity\n");
        StringBuilder items = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            users.append("u").append(u).append('\t').append(20 + u).append("\tc").append(u % 3).append('\n');
            for (int k = 0; k < 12; k++) {
                int item = (u * 7 + k * 3) % 60;
                events.append("u").append(u).append(",s").append(item).append(",1,2024-01-01 00:00:").append(String.format("%02d", k))
                        .append(",web\n");
            }
        }
        for (int i = 0; i < 60; i++) {
            items.append("s").append(i).append("::t").append(i % 4).append('\n');
        }
        Path spec = ShopSpec.write(out, events.toString(), users.toString(), items.toString());
        Path results = out.resolve("out");
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int evaluate;
        int profile;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            evaluate = AttentiveCli.run("evaluate", "--dataset", "spec:" + spec, "--models", "pop,fm[epochs=1]", "--k-core", "1",
                    "--out", results.toString(), "--threads", "1");
            profile = AttentiveCli.run("profile", "--dataset", "spec:" + spec, "--out", results.resolve("profile").toString());
        } finally {
            System.setOut(old);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(evaluate).as(text).isZero();
        assertThat(profile).as(text).isZero();
        assertThat(text).contains("cleaning: 480 interactions in, 480 out", "| item | tags | multi_categorical | 4 |");
        assertThat(results.resolve("results.json")).isNotEmptyFile();
        assertThat(results.resolve("cleaning.json")).isNotEmptyFile();
    }
}
