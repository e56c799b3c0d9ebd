package dev.attentive.eval.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.eval.cli.EvalMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EvaluateCommandTest {
    @TempDir
    Path out;

    @Test
    void modelSpecsParseWithOverridesAndGrids() {
        var specs = ModelSpec.parseList("pop, bpr[dim=32,reg=0.01/0.1] ,two-tower[attention=mean]");
        assertThat(specs).extracting(ModelSpec::name).containsExactly("pop", "bpr", "two-tower");
        assertThat(specs.get(1).settings()).containsExactly(Map.entry("dim", "32"), Map.entry("reg", "0.01/0.1"));
        assertThat(specs.get(1).grid(Map.of("reg", "5", "lr", "1/2"))).hasSize(4);
        assertThat(specs.get(1).label()).isEqualTo("bpr[dim=32,reg=0.01/0.1]");
        assertThatThrownBy(() -> ModelSpec.parseList("bpr[dim=32")).hasMessageContaining("Unclosed '['");
        assertThatThrownBy(() -> ModelSpec.parseList("bpr[dim]")).hasMessageContaining("must be written key=value");
    }

    @Test
    void writesResultsAndReportsOnSyntheticData() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = EvalMain.run("evaluate", "--dataset", "synthetic", "--models", "pop,ease[lambda=100/400],random",
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
            status = EvalMain.run("evaluate", "--dataset", "synthetic", "--models", "pop,nope,bpr[colour=red]",
                    "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown model 'nope' (available: bpr, ease, fm, itemknn, pop, random")
                .contains("bpr[colour=red]: unknown setting 'colour' (valid: dim,");
        assertThat(out.resolve("results.json")).doesNotExist();
    }
}
